import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { infraEnv } from '@flexgalaxy/testing';
import { percentiles, type Latency } from './figures.js';
import { controllerIdOf, targetTokenOf, type SeededTargets } from './fleet.js';

/**
 * The hawkBit side of the comparisons, driven against the real update server named by .infra/env
 * (0.3.0M7: Management API under /rest/v1 with HTTP Basic, DDI under /<tenant>/controller/v1 with
 * TargetToken). Its database is an in-memory H2 that other tests share: every id made here carries a
 * random run id, and what is made is deleted afterwards.
 */
export interface HawkbitServer {
  url: string;
  tenant: string;
  authorization: string;
}

/**
 * hawkBit's auto-assignment scheduler period: `@Scheduled(fixedDelayString =
 * "${hawkbit.autoassign.scheduler.fixedDelay:2000}")` on AutoAssignScheduler in
 * hawkbit-repository-jpa 0.3.0M7, not overridden by .infra/hawkbit's application.properties. A fixed
 * delay: the next check starts 2 s after the previous one finished.
 */
export const HAWKBIT_AUTOASSIGN_FIXED_DELAY_MS = 2000;

/** hawkBit's quota `hawkbit.server.security.dos.maxTargetsPerAutoAssignment` (0.3.0M7 default). */
export const HAWKBIT_MAX_TARGETS_PER_AUTO_ASSIGNMENT = 20_000;

/** hawkBit's quota `maxTargetDistributionSetAssignmentsPerManualAssignment` (0.3.0M7 default). */
const MAX_TARGETS_PER_MANUAL_ASSIGNMENT = 5000;

/** Targets per POST /rest/v1/targets. */
const SEED_BATCH = 500;

/** The real hawkBit update server named by .infra/env, or why there is none (never required). */
export function hawkbitServer(): HawkbitServer | { unavailable: string } {
  const env = infraEnv();
  const url = env['HAWKBIT_URL'];
  if (!url) {
    return { unavailable: 'hawkBit not configured: no HAWKBIT_URL in .infra/env (`npm run infra:up` starts it)' };
  }
  const user = env['HAWKBIT_USER'] ?? 'admin';
  const password = env['HAWKBIT_PASSWORD'] ?? 'admin';
  return {
    url: url.replace(/\/$/, ''),
    tenant: env['HAWKBIT_TENANT'] ?? 'DEFAULT',
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}

/** A random prefix for everything one benchmark creates on the shared server. */
export const hawkbitRunId = () => `fgb${randomBytes(4).toString('hex')}`;

const Created = z.array(z.object({ id: z.number() }));
const Filter = z.object({ id: z.number() });
const Paged = z.object({ total: z.number() });
const Poll = z.object({ _links: z.record(z.string(), z.unknown()).optional() });

async function management(server: HawkbitServer, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: server.authorization, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) {
    throw new HawkbitAnswerError(`hawkBit ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** A 4xx/5xx answer of hawkBit's Management API (its message is kept: a quota refusal is a result). */
export class HawkbitAnswerError extends Error {}

async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(count, concurrency) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

export type HawkbitTargets = Pick<SeededTargets, 'controllerPrefix' | 'tokenPrefix' | 'from' | 'count'>;

/**
 * Creates hawkBit targets with the given controller ids and TargetTokens (Management API, batches of
 * 500) and makes sure target-token authentication is on for DDI. Resolves with the seeding rate.
 */
export async function seedHawkbitTargets(
  server: HawkbitServer,
  targets: HawkbitTargets,
): Promise<{ seconds: number; perSecond: number }> {
  await management(server, 'PUT', '/rest/v1/system/configs/authentication.targettoken.enabled', { value: true });
  const started = performance.now();
  const end = targets.from + targets.count;
  for (let start = targets.from; start < end; start += SEED_BATCH) {
    const body = [];
    for (let index = start; index < Math.min(end, start + SEED_BATCH); index++) {
      body.push({
        controllerId: controllerIdOf(targets, index),
        name: `bench robot ${index}`,
        securityToken: targetTokenOf(targets, index),
      });
    }
    await management(server, 'POST', '/rest/v1/targets', body);
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: targets.count / seconds };
}

/** Deletes the targets (and with them their actions); 0.3.0M7 has no bulk delete, hence one call each. */
export async function deleteHawkbitTargets(server: HawkbitServer, targets: HawkbitTargets): Promise<void> {
  await inParallel(targets.count, 8, async (offset) => {
    await management(server, 'DELETE', `/rest/v1/targets/${controllerIdOf(targets, targets.from + offset)}`).catch(
      () => undefined,
    );
  });
}

export interface HawkbitRelease {
  moduleId: number;
  setId: number;
  name: string;
}

/** A software module (type os) and a distribution set holding it; no artifact (DDI offers the set anyway). */
export async function createHawkbitRelease(server: HawkbitServer, name: string): Promise<HawkbitRelease> {
  const [module] = Created.parse(
    await management(server, 'POST', '/rest/v1/softwaremodules', [{ name, version: '1.0', type: 'os' }]),
  );
  const [set] = Created.parse(
    await management(server, 'POST', '/rest/v1/distributionsets', [
      { name, version: '1.0', type: 'os', modules: [{ id: module!.id }] },
    ]),
  );
  return { moduleId: module!.id, setId: set!.id, name };
}

/** Best effort: a set with assignments is only marked deleted by hawkBit, which is enough here. */
export async function deleteHawkbitRelease(server: HawkbitServer, release: HawkbitRelease): Promise<void> {
  await management(server, 'DELETE', `/rest/v1/distributionsets/${release.setId}`).catch(() => undefined);
  await management(server, 'DELETE', `/rest/v1/softwaremodules/${release.moduleId}`).catch(() => undefined);
}

/** Assigns the set to the targets (forced), within hawkBit's quota per manual assignment. */
export async function assignHawkbitRelease(
  server: HawkbitServer,
  release: HawkbitRelease,
  controllerIds: string[],
): Promise<void> {
  for (let start = 0; start < controllerIds.length; start += MAX_TARGETS_PER_MANUAL_ASSIGNMENT) {
    const body = controllerIds
      .slice(start, start + MAX_TARGETS_PER_MANUAL_ASSIGNMENT)
      .map((id) => ({ id, type: 'forced' }));
    await management(server, 'POST', `/rest/v1/distributionsets/${release.setId}/assignedTargets`, body);
  }
}

async function createAutoAssignFilter(
  server: HawkbitServer,
  name: string,
  query: string,
  release: HawkbitRelease,
): Promise<number> {
  const filter = Filter.parse(await management(server, 'POST', '/rest/v1/targetfilters', { name, query }));
  try {
    await management(server, 'POST', `/rest/v1/targetfilters/${filter.id}/autoAssignDS`, {
      id: release.setId,
      type: 'forced',
    });
  } catch (error) {
    await deleteFilter(server, filter.id);
    throw error;
  }
  return filter.id;
}

const deleteFilter = (server: HawkbitServer, id: number) =>
  management(server, 'DELETE', `/rest/v1/targetfilters/${id}`).catch(() => undefined);

async function total(server: HawkbitServer, path: string): Promise<number> {
  return Paged.parse(await management(server, 'GET', path)).total;
}

async function ddi(
  server: HawkbitServer,
  method: 'GET' | 'PUT',
  controllerId: string,
  token: string,
  suffix = '',
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${server.url}/${server.tenant}/controller/v1/${controllerId}${suffix}`, {
    method,
    headers: { authorization: `TargetToken ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`hawkBit DDI ${method} ${suffix || 'poll'} answered ${response.status}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

export interface HawkbitAutoAssignResult {
  latencyMs: Latency & { max: number };
  samples: number;
}

/**
 * hawkBit's counterpart of "enrollment → deployment visible on DDI": a target filter on the
 * manufacturer attribute with an auto-assign distribution set exists first. Per target, one at a
 * time: a random pause within one scheduler period (so the scheduler's phase is uniform, not locked
 * to the previous sample), POST /rest/v1/targets; from its answer the device sets its attribute
 * (PUT configData) and polls DDI every `pollIntervalMs` until the poll offers deploymentBase.
 */
export async function measureHawkbitAutoAssign(
  server: HawkbitServer,
  options: { warmup: number; count: number; pollIntervalMs: number; visibleTimeoutMs: number },
): Promise<HawkbitAutoAssignResult> {
  const runId = hawkbitRunId();
  const manufacturer = `HawkbitBench${runId}`;
  const targets: HawkbitTargets = {
    controllerPrefix: `${runId}-`,
    tokenPrefix: `${runId}-${randomBytes(8).toString('hex')}-`,
    from: 1,
    count: 0,
  };
  const release = await createHawkbitRelease(server, `${runId}-os`);
  let filterId: number | null = null;
  const samples: number[] = [];
  try {
    filterId = await createAutoAssignFilter(
      server,
      `${runId} every bench robot`,
      `controllerId==${runId}-*;attribute.manufacturer==${manufacturer}`,
      release,
    );
    for (let index = 1; index <= options.warmup + options.count; index++) {
      await sleep(Math.random() * HAWKBIT_AUTOASSIGN_FIXED_DELAY_MS);
      const controllerId = controllerIdOf(targets, index);
      const token = targetTokenOf(targets, index);
      await management(server, 'POST', '/rest/v1/targets', [
        { controllerId, name: `bench robot ${index}`, securityToken: token },
      ]);
      const created = performance.now();
      targets.count = index;
      await ddi(server, 'PUT', controllerId, token, '/configData', { data: { manufacturer }, mode: 'merge' });
      for (;;) {
        const poll = Poll.parse(await ddi(server, 'GET', controllerId, token));
        if (poll._links?.['deploymentBase']) break;
        if (performance.now() - created > options.visibleTimeoutMs) {
          throw new Error(`hawkBit target ${controllerId}: no deploymentBase within ${options.visibleTimeoutMs} ms`);
        }
        await sleep(options.pollIntervalMs);
      }
      if (index > options.warmup) samples.push(performance.now() - created);
    }
  } finally {
    if (filterId !== null) await deleteFilter(server, filterId);
    await deleteHawkbitTargets(server, targets);
    await deleteHawkbitRelease(server, release);
  }
  const latency = percentiles(samples);
  return { latencyMs: { ...latency, max: Math.max(...samples) }, samples: samples.length };
}

/** What hawkBit showed for "a new policy applied to N targets", or why a part does not fit. */
export interface HawkbitPolicyResult {
  count: number;
  seeding: { seconds: number; perSecond: number };
  /** GET /rest/v1/targets?q=<filter>&limit=1, its total checked against `count`. */
  query: { seconds: number; latencyMs: Latency; samples: number } | { doesNotFit: string };
  /** From POST /rest/v1/targetfilters until every target is seen assigned. */
  autoAssign: { seconds: number } | { doesNotFit: string };
}

/**
 * hawkBit targets of one run that grow along the scaling series (seeded once, never re-seeded): the
 * same N as ours, all selected by the filter `controllerId==<run>-*`. Sizes whose seeding would take
 * longer than `maxSeedSeconds` at the rate measured so far are reported as not fitting.
 */
export class HawkbitScalingFleet {
  private readonly runId = hawkbitRunId();
  private readonly targets: HawkbitTargets = {
    controllerPrefix: `${this.runId}-`,
    tokenPrefix: `${this.runId}-${randomBytes(8).toString('hex')}-`,
    from: 1,
    count: 0,
  };
  private seedSeconds = 0;
  private releases: HawkbitRelease[] = [];

  constructor(
    private readonly server: HawkbitServer,
    private readonly maxSeedSeconds = 120,
  ) {}

  /** The RSQL query selecting every target of the fleet. */
  get query(): string {
    return `controllerId==${this.runId}-*`;
  }

  private get rate(): number | null {
    return this.targets.count >= SEED_BATCH * 4 ? this.targets.count / this.seedSeconds : null;
  }

  /** Grows the fleet to `count` targets; null when it fits, else why not (the rate measured). */
  private async grow(count: number): Promise<string | null> {
    const projected = (rate: number) => (count - this.targets.count) / rate;
    const doesNotFit = (rate: number) =>
      `does not fit: seeding ${count.toLocaleString('en-US')} targets into hawkBit's in-memory H2 (shared with ` +
      `other tests) at the measured ${Math.round(rate).toLocaleString('en-US')} targets/s (POST /rest/v1/targets, ` +
      `batches of ${SEED_BATCH}) would take ~${Math.round(projected(rate) + this.seedSeconds)} s, over the ` +
      `${this.maxSeedSeconds} s budget`;
    // Rate unknown yet: seed a first slice (part of the fleet either way) to measure it.
    if (this.rate === null && count - this.targets.count > SEED_BATCH * 10) await this.seedTo(SEED_BATCH * 10);
    const rate = this.rate;
    if (rate !== null && projected(rate) + this.seedSeconds > this.maxSeedSeconds) return doesNotFit(rate);
    await this.seedTo(count);
    return null;
  }

  private async seedTo(count: number): Promise<void> {
    if (count <= this.targets.count) return;
    const seeded = await seedHawkbitTargets(this.server, {
      ...this.targets,
      from: this.targets.from + this.targets.count,
      count: count - this.targets.count,
    });
    this.seedSeconds += seeded.seconds;
    this.targets.count = count;
  }

  /**
   * The two hawkBit readings of "a new policy applied to `count` targets": the target-filter query
   * alone (repeated `queryRuns` times, the first excluded as warm-up), and a new target filter with
   * an auto-assign distribution set until hawkBit's scheduler has assigned it to every target.
   */
  async measure(count: number, queryRuns = 6): Promise<HawkbitPolicyResult> {
    const why = await this.grow(count);
    const seeding = { seconds: this.seedSeconds, perSecond: this.targets.count / this.seedSeconds };
    if (why) return { count, seeding, query: { doesNotFit: why }, autoAssign: { doesNotFit: why } };
    const path = `/rest/v1/targets?limit=1&q=${encodeURIComponent(this.query)}`;
    const samples: number[] = [];
    for (let run = 0; run < queryRuns; run++) {
      const started = performance.now();
      const selected = await total(this.server, path);
      if (run > 0) samples.push(performance.now() - started);
      if (selected !== count) throw new Error(`hawkBit's query ${this.query} selected ${selected} of ${count} targets`);
    }
    const latencyMs = percentiles(samples);
    const query = { seconds: latencyMs.p50 / 1000, latencyMs, samples: samples.length };
    return { count, seeding, query, autoAssign: await this.autoAssign(count) };
  }

  private async autoAssign(count: number): Promise<HawkbitPolicyResult['autoAssign']> {
    const release = await createHawkbitRelease(this.server, `${this.runId}-os-${this.releases.length + 1}`);
    this.releases.push(release);
    const started = performance.now();
    let filterId: number;
    try {
      filterId = await createAutoAssignFilter(this.server, `${this.runId} every robot (${count})`, this.query, release);
    } catch (error) {
      if (error instanceof HawkbitAnswerError && count > HAWKBIT_MAX_TARGETS_PER_AUTO_ASSIGNMENT) {
        return {
          doesNotFit: `does not fit: hawkBit refuses an auto-assignment over more than ${HAWKBIT_MAX_TARGETS_PER_AUTO_ASSIGNMENT.toLocaleString('en-US')} targets (quota maxTargetsPerAutoAssignment): ${error.message}`,
        };
      }
      throw error;
    }
    try {
      // Scheduler period + assignment in pages of 1,000, which slows as the fleet grows: 10,000 targets
      // took 211 s on this machine (2 cores, loaded). A bound, not an estimate; 100 ms between looks.
      const deadline = started + 60_000 + count * 50;
      for (;;) {
        const assigned = await total(this.server, `/rest/v1/distributionsets/${release.setId}/assignedTargets?limit=1`);
        if (assigned >= count) return { seconds: (performance.now() - started) / 1000 };
        if (performance.now() > deadline) {
          throw new Error(
            `hawkBit auto-assigned ${assigned} of ${count} targets within ${Math.round((deadline - started) / 1000)} s`,
          );
        }
        await sleep(100);
      }
    } finally {
      await deleteFilter(this.server, filterId);
    }
  }

  /** Deletes every target and release of the fleet. */
  async dispose(): Promise<void> {
    await deleteHawkbitTargets(this.server, this.targets);
    for (const release of this.releases) await deleteHawkbitRelease(this.server, release);
  }
}
