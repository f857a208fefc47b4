import type { HttpLoadJob, HttpLoadResult } from '../load/http-load.js';
import type { Benchmark, BenchContext } from '../lib/benchmark.js';
import { runLoad } from '../lib/child.js';
import { atMost, compared, reported, round, unavailable, type Comparison, type Figure } from '../lib/figures.js';
import { createMaker, createPolicy, publishRelease, seedTargets } from '../lib/fleet.js';
import {
  HAWKBIT_AUTOASSIGN_FIXED_DELAY_MS,
  HAWKBIT_MAX_TARGETS_PER_AUTO_ASSIGNMENT,
  HawkbitScalingFleet,
  hawkbitServer,
  type HawkbitPolicyResult,
} from '../lib/hawkbit.js';
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

/** Seeding hawkBit beyond this is reported as not fitting (its in-memory H2 is shared with other tests). */
const HAWKBIT_MAX_SEED_SECONDS = 120;
const HAWKBIT_ASSIGN_LABEL = 'hawkBit 0.3.0M7 target filter + auto-assignment until all assigned';
const HAWKBIT_QUERY_LABEL = 'hawkBit 0.3.0M7 target-filter query only (selection, no assignment; p50)';

const HAWKBIT_DEFINITION =
  'hawkBit (the real 0.3.0M7 update server), where it fits: the same number of targets created through its ' +
  `Management API (POST /rest/v1/targets, batches of 500; not measured; only when the seeding rate measured on ` +
  `the first 5,000 projects under ${HAWKBIT_MAX_SEED_SECONDS} s), one fleet growing along the series, all named ` +
  '<run>-<n>. Its selector is the RSQL `controllerId==<run>-*` (hawkBit target attributes are written only by ' +
  'the device over DDI, one request per target, ~160/s here, so an attribute filter over 10k+ targets cannot be ' +
  `seeded in time). The equivalent of the policy: from POST /rest/v1/targetfilters (+ POST …/autoAssignDS, ` +
  `forced) until GET /rest/v1/distributionsets/<id>/assignedTargets counts every target (looked at every 100 ms); ` +
  `it includes the wait for the auto-assignment scheduler (fixedDelay ${HAWKBIT_AUTOASSIGN_FIXED_DELAY_MS} ms, ` +
  `0.3.0M7 default) and its assignment in pages of 1,000. hawkBit refuses auto-assignment over more than ` +
  `${HAWKBIT_MAX_TARGETS_PER_AUTO_ASSIGNMENT.toLocaleString('en-US')} targets (quota maxTargetsPerAutoAssignment). ` +
  'The query-only comparison: GET /rest/v1/targets?q=<that RSQL>&limit=1 (total checked = N), p50 of 5 after one ' +
  'warm-up: only the selection step, a lower bound for hawkBit, not an equivalent. Targets deleted afterwards.';

function hawkbitComparisons(ours: number, result: HawkbitPolicyResult): Comparison[] {
  const assign =
    'doesNotFit' in result.autoAssign
      ? unavailable(HAWKBIT_ASSIGN_LABEL, result.autoAssign.doesNotFit)
      : compared(HAWKBIT_ASSIGN_LABEL, ours, round(result.autoAssign.seconds, 3), false);
  const query =
    'doesNotFit' in result.query
      ? unavailable(HAWKBIT_QUERY_LABEL, result.query.doesNotFit)
      : {
          ...compared(HAWKBIT_QUERY_LABEL, ours, round(result.query.seconds, 4), false),
          latencyMs: result.query.latencyMs,
        };
  return [assign, query];
}

interface Series {
  context: BenchContext;
  sizes: number[];
  warmupSeconds: number;
  durationSeconds: number;
  polls: Figure[];
  applies: Figure[];
}

/**
 * One size of the series on its own platform: its DDI polls figure and its policy figure; resolves
 * with the policy figure (for the hawkBit comparisons), null when the size failed.
 */
async function measureSize(series: Series, count: number): Promise<Figure | null> {
  const { context, sizes, warmupSeconds, durationSeconds, polls, applies } = series;
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
    const { rows } = await platform.otaPool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM "ota"."actions" WHERE "policy_id" = $1::uuid',
      [applied.id],
    );
    const actions = rows[0]?.n ?? 0;
    if (applied.matched !== count || actions !== count) {
      throw new Error(`the policy went through ${applied.matched} of ${count} targets, ${actions} actions exist`);
    }
    const pollRate = load ? `${round(load.perSecond)} polls/s; ` : '';
    context.log(
      `${label(count)}: ${pollRate}policy applied in ${round(seconds, 2)} s (POST answered after ${round(applied.answeredMs / 1000, 2)} s)`,
    );
    const figure: Figure = {
      benchmark: 'scaling',
      id: `scaling.policy.${label(count)}`,
      name: `new policy applied to ${label(count)} targets (static tier)`,
      unit: 's',
      value: round(seconds, 3),
      higherIsBetter: false,
      comparisons: [],
      goal: count === sizes[sizes.length - 1] ? atMost(seconds, 10, '< 10 s') : reported('scaling series'),
      definition:
        `POST /ota/v1/policies with "type = \\"amr\\" AND revision >= \\"r3\\"", matching all ${count} targets: ` +
        'from the request until GET /ota/v1/policies/<id> (every 50 ms) shows its bulk match complete: one action ' +
        'per target and its ota.action.created outbox event, written chunk by chunk (OTA_BULK_MATCH_CHUNK targets ' +
        'per transaction, the first before the 201). Action count checked after. Targets seeded before (not measured).',
      details: {
        matched: applied.matched,
        answeredSeconds: round(applied.answeredMs / 1000, 3),
        platformRssMiB: round(rss),
      },
    };
    applies.push(figure);
    return figure;
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
    return null;
  } finally {
    await platform.release();
  }
}

/** The hawkBit comparisons of one size on the policy figure, or a failed figure of their own. */
async function compareWithHawkbit(series: Series, fleet: HawkbitScalingFleet, apply: Figure, count: number) {
  const { context } = series;
  try {
    const result = await fleet.measure(count);
    const show = (part: { seconds: number } | { doesNotFit: string }) =>
      'doesNotFit' in part ? 'does not fit' : `${round(part.seconds, 3)} s`;
    context.log(
      `${label(count)}: hawkBit auto-assignment ${show(result.autoAssign)}, query ${show(result.query)} ` +
        `(seeded at ${round(result.seeding.perSecond)} targets/s)`,
    );
    apply.comparisons = hawkbitComparisons(apply.value!, result);
    apply.definition += ` ${HAWKBIT_DEFINITION}`;
    apply.details = { ...apply.details, hawkbitSeedingTargetsPerSecond: round(result.seeding.perSecond) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.log(`${label(count)}: hawkBit failed: ${message}`);
    series.applies.push({
      benchmark: 'scaling',
      id: `scaling.hawkbit.${label(count)}`,
      name: `hawkBit comparison of the policy at ${label(count)} targets (failed)`,
      unit: 's',
      value: null,
      higherIsBetter: false,
      comparisons: [],
      goal: reported('comparison'),
      definition: HAWKBIT_DEFINITION,
      error: message.slice(0, 2000),
    });
  }
}

/**
 * How cost grows with the fleet: at each size a fresh platform and database, targets seeded in
 * set-based SQL (1% holding an action), then DDI polls for a timed window, then a new policy that
 * matches every target, applied by the bulk tier (POST /ota/v1/policies answers once every action
 * exists). The largest size gives the "policy applied to 1,000,000 targets" figure. hawkBit's
 * target filter with auto-assignment is measured at each size where it fits (smoke: the smallest).
 */
export const scaling: Benchmark = {
  name: 'scaling',
  description: 'DDI polls and bulk policy matching at 10k / 100k / 1M targets (policy applied to 1M: < 10 s)',
  timeoutMs: (smoke) => (smoke ? 240_000 : 2_400_000),
  async run(context) {
    const sizes = sizesOverride ?? context.size([200, 1000, 2000], [10_000, 100_000, 1_000_000]);
    const series: Series = {
      context,
      sizes,
      warmupSeconds: context.size(1, 3),
      durationSeconds: context.size(2, 10),
      polls: [],
      applies: [],
    };
    const hawkbit = hawkbitServer();
    const skipped = 'unavailable' in hawkbit ? hawkbit.unavailable : null;
    if (skipped) context.log(`hawkBit skipped: ${skipped}`);
    const fleet = 'unavailable' in hawkbit ? null : new HawkbitScalingFleet(hawkbit, HAWKBIT_MAX_SEED_SECONDS);
    try {
      for (const count of sizes) {
        const apply = await measureSize(series, count);
        // Smoke: the smallest size only (hawkBit's auto-assignment of 2,000 targets alone takes ~10 s here).
        if (!apply || (context.smoke && count !== sizes[0])) continue;
        // After the platform is released, so the two never share the CPU.
        if (fleet) await compareWithHawkbit(series, fleet, apply, count);
        else apply.comparisons = [unavailable(HAWKBIT_ASSIGN_LABEL, skipped ?? '')];
      }
    } finally {
      if (fleet) {
        context.log('hawkBit: deleting the targets made');
        await fleet.dispose();
      }
    }
    return [...series.polls, ...series.applies];
  },
};
