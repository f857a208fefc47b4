/**
 * The comparison for enrollment: creating one confidential client (what an enrollment's identity
 * step costs on Keycloak) through Keycloak's admin REST API, at `concurrency`, for a timed window
 * after a warm-up. The clients it made are deleted afterwards (not measured).
 */
import { randomBytes } from 'node:crypto';
import { mapLimit } from '../../demo/story/concurrency.js';
import { fail, jobOf, report } from '../lib/child.js';
import { percentiles } from '../lib/figures.js';

export interface KeycloakLoadJob {
  url: string;
  realm: string;
  adminUser: string;
  adminPassword: string;
  concurrency: number;
  warmup: number;
  durationSeconds: number;
}

export interface KeycloakLoadResult {
  created: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  failed: number;
}

const job = jobOf<KeycloakLoadJob>();
let token = '';
let tokenAt = 0;

async function adminToken(): Promise<string> {
  if (token && Date.now() - tokenAt < 30_000) return token;
  const response = await fetch(`${job.url}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: job.adminUser,
      password: job.adminPassword,
    }),
  });
  if (response.status !== 200) throw new Error(`Keycloak admin login answered ${response.status}`);
  token = ((await response.json()) as { access_token: string }).access_token;
  tokenAt = Date.now();
  return token;
}

const run = randomBytes(4).toString('hex');
let sequence = 0;
const createdIds: string[] = [];

async function createClient(): Promise<void> {
  const clientId = `bench-${run}-${sequence++}`;
  const response = await fetch(`${job.url}/admin/realms/${job.realm}/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken()}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId,
      secret: randomBytes(24).toString('base64url'),
      publicClient: false,
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
      protocol: 'openid-connect',
    }),
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`client creation answered ${response.status}`);
  const location = response.headers.get('location');
  if (location) createdIds.push(location.slice(location.lastIndexOf('/') + 1));
}

async function main(): Promise<KeycloakLoadResult> {
  await mapLimit(
    Array.from({ length: job.warmup }, (_, index) => index),
    job.concurrency,
    () => createClient(),
  );
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + job.durationSeconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sentAt = performance.now();
      try {
        await createClient();
        latencies.push(performance.now() - sentAt);
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await mapLimit(createdIds, 4, async (id) => {
    await fetch(`${job.url}/admin/realms/${job.realm}/clients/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await adminToken()}` },
    }).then((response) => response.arrayBuffer());
  }).catch(() => undefined);
  return {
    created: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    latencyMs: percentiles(latencies),
    failed,
  };
}

main().then(report, fail);
