import { cpus } from 'node:os';
import { startAppProcess, freePort } from '@flexgalaxy/testing';
import type { HttpLoadJob, HttpLoadResult } from '../load/http-load.js';
import type { Benchmark } from '../lib/benchmark.js';
import { runLoad } from '../lib/child.js';
import { CpuSampler, postgresPids } from '../lib/cpu-time.js';
import { compared, round, unavailable, type Comparison, type Figure } from '../lib/figures.js';
import { controllerIdOf, createMaker, createPolicy, publishRelease, seedTargets } from '../lib/fleet.js';
import {
  assignHawkbitRelease,
  createHawkbitRelease,
  deleteHawkbitRelease,
  deleteHawkbitTargets,
  hawkbitRunId,
  hawkbitServer,
  seedHawkbitTargets,
} from '../lib/hawkbit.js';

const CONNECTIONS = 32;
/** Every 100th target holds an action (model "X1H" in seedTargets), on both sides. */
const HOLD_EVERY = 100;

/**
 * DDI polls/s and latency with 10,000 targets of which 1% hold an action, each poll as a random
 * target with its own TargetToken; against a bare Fastify route (floor) and the real hawkBit.
 */
export const ddiPolls: Benchmark = {
  name: 'ddi-polls',
  description: 'DDI polls/s and p99, 10,000 targets, 1% holding an action; vs bare Fastify and hawkBit',
  timeoutMs: (smoke) => (smoke ? 120_000 : 600_000),
  async run(context) {
    const count = context.size(500, 10_000);
    const warmupSeconds = context.size(1, 5);
    const durationSeconds = context.size(2, 20);
    const platform = await context.platform();
    try {
      const maker = await createMaker(platform, `DDI Bench ${Date.now()}`);
      const seeded = await seedTargets(platform.otaPool, {
        accountId: maker.id,
        manufacturer: 'BenchMake',
        from: 1,
        count,
        holdEvery: HOLD_EVERY,
      });
      const set = await publishRelease(platform, maker, 'BenchOS');
      const policy = await createPolicy(platform, maker, 'hold 1%', 'model = "X1H"', set);
      context.log(`${count} targets seeded, ${policy.matched} hold an action`);
      const targets = { ...seeded, tenant: 'DEFAULT' };
      const load = (url: string, tenant = 'DEFAULT') =>
        runLoad<HttpLoadResult>(
          'http-load',
          {
            mode: 'duration',
            url,
            connections: CONNECTIONS,
            warmupSeconds,
            durationSeconds,
            targets: { ...targets, tenant },
          } satisfies HttpLoadJob,
          (warmupSeconds + durationSeconds) * 1000 + 60_000,
        );
      // The serving side's CPU: the platform process and PostgreSQL (the load generator excluded).
      const serving = new CpuSampler(() => [platform.pid, ...postgresPids()]);
      let ours: HttpLoadResult;
      try {
        ours = await load(platform.urls.otaForge);
      } finally {
        serving.stop();
      }
      const servingCpuSeconds = serving.between(ours.measuredFrom!, ours.measuredTo!);
      const perServingCore = (ours.perSecond * ours.seconds) / servingCpuSeconds;
      context.log(
        `ours: ${round(ours.perSecond)} polls/s, p99 ${round(ours.latencyMs.p99, 2)} ms; ` +
          `${round(perServingCore)} per core-second of platform + PostgreSQL CPU (${round(servingCpuSeconds / ours.seconds, 2)} cores busy)`,
      );
      if (ours.non2xx > 0 || ours.errors > 0) {
        throw new Error(`${ours.non2xx} non-2xx answers and ${ours.errors} errors in ${ours.requests} polls`);
      }

      const comparisons: Comparison[] = [];
      const floorPort = await freePort();
      const floor = await startAppProcess('tools/bench/load/fastify-floor.ts', { PORT: String(floorPort) });
      try {
        const bare = await load(floor.url);
        comparisons.push({
          ...compared('bare Fastify route (floor)', ours.perSecond, bare.perSecond, true),
          latencyMs: bare.latencyMs,
        });
      } finally {
        await floor.stop();
      }

      const hawkbit = hawkbitServer();
      let hawkbitDetails: Record<string, unknown> | undefined;
      if ('unavailable' in hawkbit) {
        context.log(`hawkBit skipped: ${hawkbit.unavailable}`);
        comparisons.push(unavailable('hawkBit DDI poll', hawkbit.unavailable));
      } else {
        const release = await createHawkbitRelease(hawkbit, `${hawkbitRunId()}-os`);
        try {
          const seeding = await seedHawkbitTargets(hawkbit, seeded);
          const holding: string[] = [];
          for (let index = seeded.from; index < seeded.from + seeded.count; index++) {
            if (index % HOLD_EVERY === 0) holding.push(controllerIdOf(seeded, index));
          }
          await assignHawkbitRelease(hawkbit, release, holding);
          context.log(
            `hawkBit: ${count} targets seeded in ${round(seeding.seconds, 1)} s, ${holding.length} hold an action`,
          );
          const theirs = await load(hawkbit.url, hawkbit.tenant);
          context.log(`hawkBit: ${round(theirs.perSecond)} polls/s, p99 ${round(theirs.latencyMs.p99, 2)} ms`);
          if (theirs.non2xx > 0 || theirs.errors > 0) {
            throw new Error(
              `hawkBit answered ${theirs.non2xx} non-2xx and ${theirs.errors} errors in ${theirs.requests} polls`,
            );
          }
          comparisons.push({
            ...compared('hawkBit 0.3.0M7 DDI poll', ours.perSecond, theirs.perSecond, true),
            latencyMs: theirs.latencyMs,
          });
          hawkbitDetails = {
            requests: theirs.requests,
            holding: holding.length,
            seedingTargetsPerSecond: round(seeding.perSecond),
          };
        } finally {
          await deleteHawkbitTargets(hawkbit, seeded);
          await deleteHawkbitRelease(hawkbit, release);
        }
      }
      const cores = cpus().length;
      const perMachineCore = ours.perSecond / cores;
      const hawkbitRatio = comparisons.find((comparison) => comparison.label.startsWith('hawkBit'))?.ratio ?? null;
      const figure: Figure = {
        benchmark: 'ddi-polls',
        id: 'ddi-polls.10k',
        name: `DDI polls/s, ${count.toLocaleString('en-US')} targets, 1% with an action`,
        unit: 'polls/s',
        value: round(ours.perSecond),
        higherIsBetter: true,
        latencyMs: ours.latencyMs,
        comparisons,
        goal: {
          text: `≥ 5,000/s per core (${round(perServingCore)} per serving core; ${round(perMachineCore)} per machine core), p99 < 10 ms; ≥ 10× hawkBit`,
          met: perServingCore >= 5000 && ours.latencyMs.p99 < 10 && hawkbitRatio !== null && hawkbitRatio >= 10,
        },
        definition:
          `${CONNECTIONS} keep-alive connections from an autocannon child process poll GET /DEFAULT/controller/v1/<id> ` +
          `with TargetToken, each request a random one of ${count} targets (1% hold an open action from a policy); ` +
          `${warmupSeconds} s warm-up excluded, then ${durationSeconds} s measured. 2xx answers per second; latency per ` +
          `request. Per core = polls ÷ CPU seconds the serving side used in the measured window (the platform process ` +
          `and every PostgreSQL process, user + system time from /proc; the load generator excluded): polls per ` +
          `fully used core. Per machine core (details) = polls/s ÷ all cores, the load generator's share included. ` +
          `The floor runs the same load against a Fastify route answering a constant body in its own process. ` +
          `hawkBit (the real 0.3.0M7 update server, target-token authentication on): the same controller ids and ` +
          `TargetTokens created through its Management API (POST /rest/v1/targets, batches of 500), the same 1% ` +
          `given an open action (a distribution set assigned, forced), the same load against its DDI poll ` +
          `GET /<tenant>/controller/v1/<id>; its targets are deleted afterwards.`,
        details: {
          perServingCore: round(perServingCore),
          servingCoresBusy: round(servingCpuSeconds / ours.seconds, 2),
          perMachineCore: round(perMachineCore),
          requests: ours.requests,
          seconds: round(ours.seconds, 2),
          holding: policy.matched,
          ...(hawkbitDetails ? { hawkbit: hawkbitDetails } : {}),
        },
      };
      return [figure];
    } finally {
      await platform.release();
    }
  },
};
