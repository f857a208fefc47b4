import { randomBytes } from 'node:crypto';
import type { Benchmark } from '../lib/benchmark.js';
import { atMost, percentiles, round } from '../lib/figures.js';
import { createMaker, publishRelease } from '../lib/fleet.js';
import type { PlatformUnderTest } from '../lib/platform.js';

/** PUT /ota/v1/targets/<id> one after another (as provisioning registers a new device); ms each. */
async function registerTargets(platform: PlatformUnderTest, accountId: string, label: string, count: number) {
  const api = platform.api(platform.urls.otaForge);
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const token = await platform.admin.token();
    const controllerId = `match-${label}-${index}-${randomBytes(3).toString('hex')}`;
    const started = performance.now();
    await api.expect([200, 201], 'PUT', `/ota/v1/targets/${controllerId}`, {
      token,
      body: {
        accountId,
        name: controllerId,
        securityToken: randomBytes(24).toString('hex'),
        attributes: {
          type: 'amr',
          model: 'M7',
          revision: 'r3',
          manufacturer: 'MatchBench',
          serial: controllerId,
          firmwareVersion: '1.0',
          capabilities: ['navigation'],
          timezone: 'UTC',
        },
      },
    });
    samples.push(performance.now() - started);
  }
  return samples;
}

export const matchOne: Benchmark = {
  name: 'match-one',
  description: 'one new device matched against 1,000 active policies (one-target tier)',
  timeoutMs: (smoke) => (smoke ? 120_000 : 600_000),
  async run(context) {
    const policyCount = context.size(1000, 1000);
    const samples = context.size(15, 300);
    const platform = await context.platform();
    try {
      const maker = await createMaker(platform, `Match Bench ${Date.now()}`);
      const set = await publishRelease(platform, maker, 'BenchOS');
      // Setup: distinct policies in one statement; exactly one of them (i = 7: model M7) matches the devices.
      const addPolicies = (which: string) =>
        platform.otaPool.query(
          `INSERT INTO "ota"."policies" ("id", "owner_account_id", "name", "target_expression", "distribution_set_id",
                                        "category", "action_type", "updated_at")
           SELECT gen_random_uuid(), $1, 'bench policy ' || i,
                  'type = "amr" AND model = "M' || i || '" AND revision >= "r' || (1 + i % 5) || '"', $2,
                  'device_bound', 'forced', now()
             FROM generate_series(1, $3::int) i WHERE ${which}`,
          [maker.id, set, policyCount],
        );
      await addPolicies('i = 7');
      await registerTargets(platform, maker.id, 'warm', 10);
      const alone = await registerTargets(platform, maker.id, 'alone', samples);
      await addPolicies('i <> 7');
      await registerTargets(platform, maker.id, 'warm2', 10);
      const withPolicies = await registerTargets(platform, maker.id, 'policies', samples);
      const { rows } = await platform.otaPool.query<{ prefix: string; n: string }>(
        `SELECT split_part(t."controller_id", '-', 2) AS prefix, count(*) AS n
           FROM "ota"."actions" a JOIN "ota"."targets" t ON t."controller_id" = a."target_id"
          WHERE t."controller_id" LIKE 'match-alone-%' OR t."controller_id" LIKE 'match-policies-%' GROUP BY 1`,
      );
      for (const prefix of ['alone', 'policies']) {
        const found = Number(rows.find((row) => row.prefix === prefix)?.n ?? 0);
        if (found !== samples) throw new Error(`expected ${samples} matched actions (${prefix}), found ${found}`);
      }
      const one = percentiles(alone);
      const loaded = percentiles(withPolicies);
      const cost = loaded.p50 - one.p50;
      context.log(
        `target registration p50 ${round(one.p50, 2)} ms with the matching policy alone, ${round(loaded.p50, 2)} ms among ${policyCount} policies`,
      );
      return [
        {
          benchmark: 'match-one',
          id: 'match-one.1000',
          name: `one new device matched against ${policyCount.toLocaleString('en-US')} policies`,
          unit: 'ms',
          value: round(cost, 2),
          higherIsBetter: false,
          latencyMs: loaded,
          comparisons: [],
          goal: atMost(cost, 5, '< 5 ms'),
          definition:
            `OTA Forge registers a new target (PUT /ota/v1/targets/<id>, as provisioning does at enrollment; it runs the ` +
            `one-target tier: load the target, the active policies, evaluate each in-memory predicate, check ` +
            `entitlement, insert the action and its event) ${samples} times one after another. Value = p50 with ` +
            `${policyCount} active policies (one matching) − p50 of the same call with only the matching policy, both ` +
            `in this run and both creating one action: what matching against ${policyCount} policies adds. The latency ` +
            `column is the whole call among ${policyCount} policies.`,
          details: { matchingPolicyAloneMs: one, amongPoliciesMs: loaded },
        },
      ];
    } finally {
      await platform.release();
    }
  },
};
