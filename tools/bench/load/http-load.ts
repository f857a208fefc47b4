/**
 * HTTP load generator (autocannon in its own process). Modes:
 * - `duration`: warm-up, then a timed run; each request polls DDI as a random target of `targets`
 *   (or `path` for the floor), with its TargetToken. Reports requests/s and p50/p95/p99.
 * - `sweep`: optionally creates a policy first (T0 = the moment it is sent), then polls every target
 *   of `targets` once, in order, and reports how many polls offered a deployment and when the last did.
 */
import autocannon, { type AutocannonOptions, type AutocannonResult } from 'autocannon';
import { fail, jobOf, report } from '../lib/child.js';
import { percentiles } from '../lib/figures.js';

export interface HttpLoadJob {
  mode: 'duration' | 'sweep';
  url: string;
  connections: number;
  warmupSeconds?: number;
  durationSeconds?: number;
  /** DDI targets `from … from+count-1`, as seeded (fleet.ts seedTargets). */
  targets?: { controllerPrefix: string; tokenPrefix: string; from: number; count: number; tenant: string };
  /** A fixed path instead of targets (the floor). */
  path?: string;
  /** sweep: created just before the sweep; its time counts. */
  policy?: { url: string; token: string; body: unknown };
  /** sweep: stop after this long even if not every target was polled. */
  maxSeconds?: number;
}

export interface HttpLoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  non2xx: number;
  errors: number;
  /** duration: the measured window (epoch ms), to read other processes' CPU time off for it. */
  measuredFrom?: number;
  measuredTo?: number;
  /** sweep only */
  offered?: number;
  policyMatched?: number;
  policyMs?: number;
  /** sweep: ms from T0 (policy sent) until the last poll that offered the deployment. */
  lastOfferedMs?: number;
  polled?: number;
}

const job = jobOf<HttpLoadJob>();

function pollPath(index: number): { path: string; headers: Record<string, string> } {
  const targets = job.targets!;
  const controllerId = `${targets.controllerPrefix}${String(index).padStart(8, '0')}`;
  return {
    path: `/${targets.tenant}/controller/v1/${controllerId}`,
    headers: { authorization: `TargetToken ${targets.tokenPrefix}${index}` },
  };
}

function run(options: AutocannonOptions, latencies: number[] | null, stopAfterMs?: number): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const instance = autocannon({ timeout: 10, ...options }, (error, result) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    });
    if (stopAfterMs) timer = setTimeout(() => instance.stop(), stopAfterMs);
    if (latencies) {
      instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
        latencies.push(responseTime);
      });
    }
  });
}

function randomTargetRequests(): AutocannonOptions['requests'] {
  if (!job.targets) return [{ method: 'GET', path: job.path ?? '/' }];
  const { from, count } = job.targets;
  return [
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, ...pollPath(from + Math.floor(Math.random() * count)) }),
    },
  ];
}

async function duration(): Promise<HttpLoadResult> {
  const requests = randomTargetRequests();
  if ((job.warmupSeconds ?? 0) > 0) {
    await run({ url: job.url, connections: job.connections, duration: job.warmupSeconds, requests }, null);
  }
  const latencies: number[] = [];
  const measuredFrom = Date.now();
  const started = performance.now();
  const result = await run(
    { url: job.url, connections: job.connections, duration: job.durationSeconds ?? 10, requests },
    latencies,
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    measuredFrom,
    measuredTo: Date.now(),
    requests: result.requests.total,
    seconds,
    perSecond: result['2xx'] / seconds,
    latencyMs: percentiles(latencies),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function sweep(): Promise<HttpLoadResult> {
  const targets = job.targets!;
  const t0 = performance.now();
  let policyMatched: number | undefined;
  let policyMs: number | undefined;
  if (job.policy) {
    const response = await fetch(job.policy.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${job.policy.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(job.policy.body),
    });
    const body = (await response.json()) as { matched?: number };
    if (response.status !== 201)
      throw new Error(`policy creation answered ${response.status}: ${JSON.stringify(body)}`);
    policyMatched = body.matched;
    policyMs = performance.now() - t0;
  }
  let next = targets.from;
  const end = targets.from + targets.count;
  let offered = 0;
  let lastOfferedAt = t0;
  const latencies: number[] = [];
  const result = await run(
    {
      url: job.url,
      connections: job.connections,
      amount: targets.count,
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => {
            if (next >= end) next = targets.from;
            return { ...request, ...pollPath(next++) };
          },
          onResponse: (status, body) => {
            if (status === 200 && body.includes('"deploymentBase"')) {
              offered += 1;
              lastOfferedAt = performance.now();
            }
          },
        },
      ],
    },
    latencies,
    job.maxSeconds ? job.maxSeconds * 1000 : undefined,
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    requests: result.requests.total,
    seconds,
    perSecond: result['2xx'] / seconds,
    latencyMs: percentiles(latencies),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    offered,
    polled: latencies.length,
    lastOfferedMs: lastOfferedAt - t0,
    ...(policyMatched !== undefined ? { policyMatched } : {}),
    ...(policyMs !== undefined ? { policyMs } : {}),
  };
}

(job.mode === 'sweep' ? sweep() : duration()).then(report, fail);
