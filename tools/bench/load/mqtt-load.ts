/**
 * MQTT telemetry load generator: `clients` connections, each keeping `window` QoS 1 publishes in
 * flight; a publish counts when its PUBACK arrives (the embedded broker acknowledges only once the
 * telemetry is stored as runtime state). Warm-up first, then a timed window.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import { fail, jobOf, report } from '../lib/child.js';
import { percentiles } from '../lib/figures.js';

export interface MqttLoadJob {
  url: string;
  /** One user name (the device's access token) per client; omitted for an anonymous broker. */
  usernames?: string[];
  clients: number;
  window: number;
  warmupSeconds: number;
  durationSeconds: number;
  topic: string;
}

export interface MqttLoadResult {
  acked: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  errors: number;
}

const job = jobOf<MqttLoadJob>();

async function main(): Promise<MqttLoadResult> {
  const clients: MqttClient[] = [];
  for (let index = 0; index < job.clients; index++) {
    const username = job.usernames?.[index % job.usernames.length];
    clients.push(
      await connectAsync(job.url, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
        clientId: `bench-${process.pid}-${index}`,
        ...(username ? { username } : {}),
      }),
    );
  }
  const start = performance.now();
  const measureFrom = start + job.warmupSeconds * 1000;
  const measureUntil = measureFrom + job.durationSeconds * 1000;
  let acked = 0;
  let errors = 0;
  const latencies: number[] = [];
  let seq = 0;

  const lane = (client: MqttClient) =>
    new Promise<void>((resolve) => {
      const send = () => {
        if (performance.now() >= measureUntil) {
          resolve();
          return;
        }
        const sentAt = performance.now();
        const payload = JSON.stringify({ battery: 50 + (seq % 50), task: 'idle', seq: seq++ });
        client.publish(job.topic, payload, { qos: 1 }, (error) => {
          const now = performance.now();
          if (error) errors += 1;
          else if (sentAt >= measureFrom && now <= measureUntil) {
            acked += 1;
            latencies.push(now - sentAt);
          }
          send();
        });
      };
      for (let slot = 0; slot < job.window; slot++) send();
    });

  await Promise.all(clients.flatMap((client) => [lane(client)]));
  await Promise.all(clients.map((client) => client.endAsync()));
  const seconds = job.durationSeconds;
  return { acked, seconds, perSecond: acked / seconds, latencyMs: percentiles(latencies), errors };
}

main().then(report, fail);
