import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import type { EnrolledDevice, EnrollLoadJob, EnrollLoadResult } from '../load/enroll-load.js';
import type { MqttLoadJob, MqttLoadResult } from '../load/mqtt-load.js';
import type { Benchmark } from '../lib/benchmark.js';
import { runLoad } from '../lib/child.js';
import { atLeast, compared, round, unavailable, type Comparison } from '../lib/figures.js';
import { createMaker } from '../lib/fleet.js';

const CLIENTS = 8;
const WINDOW = 64;
const MOSQUITTO = { host: '127.0.0.1', port: 1883 };

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.connect(port, host);
  });
}

export const mqttTelemetry: Benchmark = {
  name: 'mqtt-telemetry',
  description: 'MQTT telemetry msgs/s into runtime state, embedded broker vs Mosquitto on 1883 (same client)',
  timeoutMs: (smoke) => (smoke ? 120_000 : 600_000),
  async run(context) {
    const warmupSeconds = context.size(1, 3);
    const durationSeconds = context.size(2, 15);
    const load = (job: Omit<MqttLoadJob, 'clients' | 'window' | 'warmupSeconds' | 'durationSeconds' | 'topic'>) =>
      runLoad<MqttLoadResult>(
        'mqtt-load',
        {
          ...job,
          clients: CLIENTS,
          window: WINDOW,
          warmupSeconds,
          durationSeconds,
          topic: 'v1/devices/me/telemetry',
        } satisfies MqttLoadJob,
        (warmupSeconds + durationSeconds) * 1000 + 60_000,
      );
    const platform = await context.platform();
    const scratch = mkdtempSync(join(tmpdir(), 'fg-bench-mqtt-'));
    let ours: MqttLoadResult;
    try {
      const maker = await createMaker(platform, `MQTT Bench ${Date.now()}`);
      const credentialsFile = join(scratch, 'devices.json');
      await runLoad<EnrollLoadResult>(
        'enroll-load',
        {
          mode: 'throughput',
          provisioningUrl: platform.urls.provisioning,
          tls: platform.deviceTls,
          client: maker.client,
          manufacturer: `MqttBench${Date.now()}`,
          warmup: 0,
          count: CLIENTS,
          concurrency: 4,
          durationSeconds: 120,
          credentialsFile,
        } satisfies EnrollLoadJob,
        180_000,
      );
      const devices = JSON.parse(readFileSync(credentialsFile, 'utf8')) as EnrolledDevice[];
      const mqtt = devices[0]!.credentials.mqtt;
      ours = await load({
        url: `mqtt://${mqtt.host}:${mqtt.port}`,
        usernames: devices.map((device) => device.credentials.mqtt.accessToken),
      });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      await platform.release();
    }
    context.log(`embedded: ${round(ours.perSecond)} msg/s (${ours.errors} errors)`);
    if (ours.errors > 0 || ours.acked === 0)
      throw new Error(`${ours.errors} publishes failed, ${ours.acked} acknowledged`);
    let comparison: Comparison;
    if (!(await reachable(MOSQUITTO.host, MOSQUITTO.port))) {
      comparison = unavailable('Mosquitto 127.0.0.1:1883', 'nothing listens on 127.0.0.1:1883');
    } else {
      try {
        const theirs = await load({ url: `mqtt://${MOSQUITTO.host}:${MOSQUITTO.port}` });
        comparison = {
          ...compared('Mosquitto 127.0.0.1:1883', ours.perSecond, theirs.perSecond, true),
          latencyMs: theirs.latencyMs,
        };
      } catch (error) {
        comparison = unavailable('Mosquitto 127.0.0.1:1883', `run failed: ${String(error).slice(0, 300)}`);
      }
    }
    return [
      {
        benchmark: 'mqtt-telemetry',
        id: 'mqtt-telemetry.embedded',
        name: 'MQTT telemetry into runtime state (embedded broker)',
        unit: 'msg/s',
        value: round(ours.perSecond),
        higherIsBetter: true,
        latencyMs: ours.latencyMs,
        comparisons: [comparison],
        goal: atLeast(ours.perSecond, 30_000, '≥ 30,000 msg/s'),
        definition:
          `${CLIENTS} MQTT clients (one child process, mqtt.js, each an enrolled device with its access token) keep ` +
          `${WINDOW} QoS 1 publishes each in flight on v1/devices/me/telemetry; a message counts when its PUBACK ` +
          "arrives — the embedded broker acknowledges only after the telemetry is stored as the device's runtime " +
          `state (batched writes). ${warmupSeconds} s warm-up, ${durationSeconds} s measured. Mosquitto: the same ` +
          "client and load against the machine's Mosquitto (anonymous, nothing stored).",
      },
    ];
  },
};
