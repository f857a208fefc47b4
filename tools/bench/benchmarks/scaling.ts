import type { HttpLoadJob, HttpLoadResult } from '../load/http-load.js';
import type { Benchmark } from '../lib/benchmark.js';
import { runLoad } from '../lib/child.js';
import { atMost, reported, round, unavailable, type Figure } from '../lib/figures.js';
import { createMaker, createPolicy, publishRelease, seedTargets } from '../lib/fleet.js';
import { hawkbitNotMeasured } from '../lib/hawkbit.js';
import { rssMiB } from '../lib/platform.js';

const CONNECTIONS = 32;

/**
 * Investigation knobs (unset: the full series): BENCH_SCALING_SIZES=1000000 runs only those
 * sizes, BENCH_SCALING_POLICY_ONLY=1 skips the DDI polls and measures only the policy apply.
 */
const sizesOverride = process.env['BENCH_SCALING_SIZES']?.split(',').map(Number);
const policyOnly = process.env['BENCH_SCALING_POLICY_ONLY'] === '1';
const label = (count: number) =>
  count >= 1_000_000 ? `${count / 1_000_000}M` : count >= 1000 ? `${count / 1000}k` : String(count);

/**
 * How cost grows with the fleet: at each size a fresh platform and database, targets seeded in
 * set-based SQL (1% holding an action), then DDI polls for a timed window, then a new policy that
 * matches every target, applied by the bulk tier (POST /ota/v1/policies answers once every action
 * exists). The largest size gives the "policy applied to 1,000,000 targets" figure.
 */
export const scaling: Benchmark = {
  name: 'scaling',
  description: 'DDI polls and bulk policy matching at 10k / 100k / 1M targets (policy applied to 1M: < 10 s)',
  timeoutMs: (smoke) => (smoke ? 240_000 : 2_400_000),
  async run(context) {
    const sizes = sizesOverride ?? context.size([200, 1000, 2000], [10_000, 100_000, 1_000_000]);
    const warmupSeconds = context.size(1, 3);
    const durationSeconds = context.size(2, 10);
    const polls: Figure[] = [];
    const applies: Figure[] = [];
    for (const count of sizes) {
      const platform = await context.platform();
      let stage = 'polls';
      try {
        const maker = await createMaker(platform, `Scale Bench ${count}`);
        const seedStarted = performance.now();
        const seeded = await seedTargets(platform.otaPool, {
          accountId: maker.id,
          manufacturer: 'ScaleMake',
          from: 1,
          count,
          holdEvery: 100,
        });
        const set = await publishRelease(platform, maker, 'BenchOS');
        await createPolicy(platform, maker, 'hold 1%', 'model = "X1H"', set);
        context.log(`${label(count)}: seeded in ${round((performance.now() - seedStarted) / 1000)} s`);
        let load: HttpLoadResult | null = null;
        if (!policyOnly) {
          load = await runLoad<HttpLoadResult>(
            'http-load',
            {
              mode: 'duration',
              url: platform.urls.otaForge,
              connections: CONNECTIONS,
              warmupSeconds,
              durationSeconds,
              targets: { ...seeded, tenant: 'DEFAULT' },
            } satisfies HttpLoadJob,
            (warmupSeconds + durationSeconds) * 1000 + 60_000,
          );
          if (load.non2xx > 0 || load.errors > 0) throw new Error(`${load.non2xx} non-2xx, ${load.errors} errors`);
          polls.push({
            benchmark: 'scaling',
            id: `scaling.polls.${label(count)}`,
            name: `DDI polls/s at ${label(count)} targets`,
            unit: 'polls/s',
            value: round(load.perSecond),
            higherIsBetter: true,
            latencyMs: load.latencyMs,
            comparisons: [],
            goal: reported('scaling series'),
            definition: `As ddi-polls (${CONNECTIONS} connections, random target, 1% holding an action) with ${count} targets; ${warmupSeconds} s warm-up, ${durationSeconds} s measured.`,
          });
        }
        stage = 'policy';
        const started = performance.now();
        const applied = await createPolicy(
          platform,
          maker,
          `every robot (${count})`,
          'type = "amr" AND revision >= "r3"',
          set,
        );
        const seconds = (performance.now() - started) / 1000;
        const rss = rssMiB(platform.pid);
        if (applied.matched !== count) throw new Error(`the policy matched ${applied.matched} of ${count} targets`);
        const pollRate = load ? `${round(load.perSecond)} polls/s; ` : '';
        context.log(`${label(count)}: ${pollRate}policy applied in ${round(seconds, 2)} s`);
        applies.push({
          benchmark: 'scaling',
          id: `scaling.policy.${label(count)}`,
          name: `new policy applied to ${label(count)} targets (static tier)`,
          unit: 's',
          value: round(seconds, 3),
          higherIsBetter: false,
          comparisons:
            count === sizes[sizes.length - 1]
              ? [
                  unavailable(
                    'hawkBit target-filter query',
                    hawkbitNotMeasured('target-filter query over the same targets'),
                  ),
                ]
              : [],
          goal: count === sizes[sizes.length - 1] ? atMost(seconds, 10, '< 10 s') : reported('scaling series'),
          definition:
            `POST /ota/v1/policies with "type = \\"amr\\" AND revision >= \\"r3\\"", matching all ${count} targets: ` +
            'from the request until its 201 answer, by which the bulk tier has inserted one action per target and ' +
            'its ota.action.created outbox events in the same transaction. Targets seeded before (not measured).',
          details: { matched: applied.matched, platformRssMiB: round(rss) },
        });
      } catch (error) {
        // One size failing (e.g. the platform refusing a policy that large) must not hide the others.
        const message = error instanceof Error ? error.message : String(error);
        context.log(`${label(count)}: ${stage} failed: ${message}`);
        (stage === 'polls' ? polls : applies).push({
          benchmark: 'scaling',
          id: `scaling.${stage}.${label(count)}`,
          name:
            stage === 'polls'
              ? `DDI polls/s at ${label(count)} targets`
              : `new policy applied to ${label(count)} targets (static tier)`,
          unit: stage === 'polls' ? 'polls/s' : 's',
          value: null,
          higherIsBetter: stage === 'polls',
          comparisons: [],
          goal:
            count === sizes[sizes.length - 1] && stage === 'policy'
              ? { text: '< 10 s', met: false }
              : reported('scaling series'),
          definition: `As the other ${stage === 'polls' ? 'DDI poll' : 'policy'} figures of the series, at ${count} targets.`,
          error: message,
        });
      } finally {
        await platform.release();
      }
    }
    return [...polls, ...applies];
  },
};
