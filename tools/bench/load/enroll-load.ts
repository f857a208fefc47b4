/**
 * Devices enrolling over mTLS (seed 002 factory scenario), as their own process. The manufacturer
 * CA is this process's: it asks the platform root to sign its CSR (setup), issues every device
 * certificate before the clock starts, then:
 * - `throughput`: warm-up enrollments, then enrollments at `concurrency` until `count` or
 *   `durationSeconds`; each is a fresh TLS handshake (client certificate verified) + the enrollment.
 * - `visible`: one device after another enrolls and then polls DDI every `pollIntervalMs` until the
 *   poll offers a deployment; reports enrollment answer → deployment visible.
 * Optionally writes the enrolled devices' credentials to `credentialsFile` (JSON).
 */
import { writeFileSync } from 'node:fs';
import { ApiError, ClientCredentials, Robot } from '../../demo/story/index.js';
import { Api } from '../../demo/story/api.js';
import { eventually, mapLimit, sleep } from '../../demo/story/concurrency.js';
import { ManufacturerCa, type DeviceCertificate } from '../../demo/story/device-pki.js';
import type { DeviceCredentials } from '../../demo/story/robot.js';
import { fail, jobOf, report } from '../lib/child.js';
import { percentiles } from '../lib/figures.js';

export interface EnrollLoadJob {
  mode: 'throughput' | 'visible';
  provisioningUrl: string;
  tls: { host: string; port: number };
  client: { clientId: string; clientSecret: string; tokenEndpoint: string };
  manufacturer: string;
  warmup: number;
  count: number;
  concurrency: number;
  durationSeconds: number;
  pollIntervalMs?: number;
  visibleTimeoutMs?: number;
  credentialsFile?: string;
}

export interface EnrolledDevice {
  deviceId: string;
  credentials: DeviceCredentials;
}

export interface EnrollLoadResult {
  enrolled: number;
  failed: number;
  seconds: number;
  perSecond: number;
  /** Enrollment request → answer. */
  latencyMs: { p50: number; p95: number; p99: number };
  /** visible: enrollment answered → first DDI poll offering the deployment. */
  visibleMs?: { p50: number; p95: number; p99: number; max: number };
  samples?: number;
  firstError?: string;
}

const job = jobOf<EnrollLoadJob>();

async function main(): Promise<EnrollLoadResult> {
  const api = new Api(job.provisioningUrl);
  const account = new ClientCredentials(job.client.clientId, job.client.clientSecret, job.client.tokenEndpoint);
  const root = await api.expect<{ certificatePem: string }>(200, 'GET', '/provisioning/v1/root-ca');
  const ca = new ManufacturerCa(job.manufacturer, `${job.manufacturer} Devices CA`);
  // Provisioning learns the account from org.account.created: asked again until it has.
  const registered = await eventually(
    'the manufacturer CA is registered',
    async () => {
      const answer = await api.call<{ certificatePem: string }>('POST', '/provisioning/v1/manufacturer-cas/csr', {
        token: await account.token(),
        body: { csrPem: ca.csrPem(), validDays: 365 },
      });
      return answer.status === 201 ? answer.body : undefined;
    },
    { timeoutMs: 60_000 },
  );
  ca.adopt(registered.certificatePem);
  const endpoint = { ...job.tls, rootCaPem: root.certificatePem };
  const total = job.warmup + job.count;
  const robots: Robot[] = [];
  for (let index = 0; index < total; index++) {
    const controllerSerial = `${job.manufacturer}-C-${String(index).padStart(6, '0')}`;
    const certificate: DeviceCertificate = ca.issueDevice(controllerSerial);
    robots.push(
      new Robot(
        { number: index + 1, controllerSerial, serial: controllerSerial, model: 'X1', revision: 'r3', timezone: 'UTC' },
        certificate,
        endpoint,
      ),
    );
  }
  const warm = robots.slice(0, job.warmup);
  const measured = robots.slice(job.warmup);
  await mapLimit(warm, job.concurrency, (robot) => robot.enrollAtFactory(job.manufacturer));
  return job.mode === 'visible' ? visible(measured) : throughput(measured, warm);
}

async function throughput(measured: Robot[], warm: Robot[]): Promise<EnrollLoadResult> {
  const latencies: number[] = [];
  const enrolled: Robot[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + job.durationSeconds * 1000;
  let next = 0;
  const worker = async () => {
    while (next < measured.length && performance.now() < deadline) {
      const robot = measured[next++]!;
      const sentAt = performance.now();
      try {
        await robot.enrollAtFactory(job.manufacturer);
        latencies.push(performance.now() - sentAt);
        enrolled.push(robot);
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof ApiError ? `${error.status} ${JSON.stringify(error.answer)}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (job.credentialsFile) {
    const devices: EnrolledDevice[] = [...warm, ...enrolled].map((robot) => ({
      deviceId: robot.deviceId,
      credentials: robot.credentials!,
    }));
    writeFileSync(job.credentialsFile, JSON.stringify(devices));
  }
  return {
    enrolled: enrolled.length,
    failed,
    seconds,
    perSecond: enrolled.length / seconds,
    latencyMs: percentiles(latencies),
    ...(firstError ? { firstError } : {}),
  };
}

async function visible(measured: Robot[]): Promise<EnrollLoadResult> {
  const enrollLatencies: number[] = [];
  const visibleLatencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + job.durationSeconds * 1000;
  const timeout = job.visibleTimeoutMs ?? 10_000;
  let next = 0;
  const worker = async () => {
    while (next < measured.length && performance.now() < deadline) {
      const robot = measured[next++]!;
      const sentAt = performance.now();
      try {
        await robot.enrollAtFactory(job.manufacturer);
        const answeredAt = performance.now();
        enrollLatencies.push(answeredAt - sentAt);
        for (;;) {
          // Not yet known to OTA Forge (distributed: the event is on its way) counts as not visible.
          const offered = await robot.offered().catch(() => null);
          if (offered) break;
          if (performance.now() - answeredAt > timeout) throw new Error(`no deployment within ${timeout} ms`);
          await sleep(job.pollIntervalMs ?? 5);
        }
        visibleLatencies.push(performance.now() - answeredAt);
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof ApiError ? `${error.status} ${JSON.stringify(error.answer)}` : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    enrolled: enrollLatencies.length,
    failed,
    seconds,
    perSecond: enrollLatencies.length / seconds,
    latencyMs: percentiles(enrollLatencies),
    visibleMs: { ...percentiles(visibleLatencies), max: Math.max(...visibleLatencies) },
    samples: visibleLatencies.length,
    ...(firstError ? { firstError } : {}),
  };
}

main().then(report, fail);
