import { infraEnv } from '@flexgalaxy/testing';
import type { EnrollLoadJob, EnrollLoadResult } from '../load/enroll-load.js';
import type { KeycloakLoadJob, KeycloakLoadResult } from '../load/keycloak-load.js';
import type { Benchmark, BenchContext } from '../lib/benchmark.js';
import { runLoad } from '../lib/child.js';
import { atLeast, compared, reported, round, unavailable, type Comparison, type Figure } from '../lib/figures.js';
import { createMaker } from '../lib/fleet.js';
import {
  distributedUnavailable,
  SMOKE_SKIPS_DISTRIBUTED,
  startDistributedPlatform,
  type PlatformUnderTest,
} from '../lib/platform.js';

const CONCURRENCY = 16;

async function enrollOn(platform: PlatformUnderTest, context: BenchContext): Promise<EnrollLoadResult> {
  const maker = await createMaker(platform, `Enroll Bench ${Date.now()}`);
  const durationSeconds = context.size(2, 30);
  return runLoad<EnrollLoadResult>(
    'enroll-load',
    {
      mode: 'throughput',
      provisioningUrl: platform.urls.provisioning,
      tls: platform.deviceTls,
      client: maker.client,
      manufacturer: `EnrollBench${Date.now()}`,
      warmup: context.size(4, 100),
      count: context.size(200, 20_000),
      concurrency: CONCURRENCY,
      durationSeconds,
    } satisfies EnrollLoadJob,
    durationSeconds * 1000 + 240_000,
  );
}

async function keycloakComparison(context: BenchContext, ours: number): Promise<Comparison> {
  const env = infraEnv();
  const label = 'Keycloak client creation (admin REST API)';
  if (!env['KEYCLOAK_URL'] || !env['KEYCLOAK_ADMIN_USER'] || !env['KEYCLOAK_ADMIN_PASSWORD']) {
    return unavailable(
      label,
      'Keycloak not running (no KEYCLOAK_URL / admin credentials in .infra/env; `npm run infra:up`)',
    );
  }
  try {
    const durationSeconds = context.size(2, 20);
    const result = await runLoad<KeycloakLoadResult>(
      'keycloak-load',
      {
        url: env['KEYCLOAK_URL'],
        realm: env['KEYCLOAK_REALM'] ?? 'flexgalaxy',
        adminUser: env['KEYCLOAK_ADMIN_USER'],
        adminPassword: env['KEYCLOAK_ADMIN_PASSWORD'],
        concurrency: CONCURRENCY,
        warmup: context.size(5, 50),
        durationSeconds,
      } satisfies KeycloakLoadJob,
      durationSeconds * 1000 + 180_000,
    );
    return { ...compared(label, ours, result.perSecond, true), latencyMs: result.latencyMs };
  } catch (error) {
    return unavailable(label, `Keycloak run failed: ${String(error).slice(0, 300)}`);
  }
}

const DEFINITION =
  `${CONCURRENCY} devices at a time, from a child process, each POST /provisioning/v1/enroll (seed 002 factory ` +
  'scenario) over a fresh mTLS connection to the device TLS listener: client certificate verified against the ' +
  "manufacturer's sub-CA under the platform root, device + identity client + DDI target + MQTT credentials created, " +
  'outbox events written (all ports, embedded adapters). Certificates issued before the clock starts; warm-up ' +
  'enrollments excluded. 201 answers per second.';

export const enrollments: Benchmark = {
  name: 'enrollments',
  description: 'mTLS enrollments/s with outbox and all ports (embedded, distributed); vs Keycloak client creation',
  timeoutMs: (smoke) => (smoke ? 150_000 : 900_000),
  async run(context) {
    const figures: Figure[] = [];
    const embedded = await context.platform();
    let ours: EnrollLoadResult;
    try {
      ours = await enrollOn(embedded, context);
    } finally {
      await embedded.release();
    }
    context.log(`embedded: ${round(ours.perSecond)} enrollments/s (${ours.enrolled} in ${round(ours.seconds)} s)`);
    if (ours.enrolled === 0) throw new Error(`no enrollment succeeded: ${ours.firstError ?? 'unknown'}`);
    figures.push({
      benchmark: 'enrollments',
      id: 'enrollments.embedded',
      name: 'enrollments/s, mTLS-verified, outbox + all ports (embedded)',
      unit: 'enrollments/s',
      value: round(ours.perSecond),
      higherIsBetter: true,
      latencyMs: ours.latencyMs,
      comparisons: [await keycloakComparison(context, ours.perSecond)],
      goal: atLeast(ours.perSecond, 500, '≥ 500/s'),
      definition: `${DEFINITION} Embedded: one platform process on PostgreSQL.`,
      details: { enrolled: ours.enrolled, failed: ours.failed, seconds: round(ours.seconds, 2) },
    });

    const why = context.smoke ? SMOKE_SKIPS_DISTRIBUTED : distributedUnavailable();
    let distributed: { value: number | null; latencyMs?: EnrollLoadResult['latencyMs']; note: string } = {
      value: null,
      note: why ?? '',
    };
    if (!why) {
      const platform = await startDistributedPlatform();
      try {
        const result = await enrollOn(platform, context);
        distributed = {
          value: round(result.perSecond),
          latencyMs: result.latencyMs,
          note: `${result.enrolled} enrolled`,
        };
      } finally {
        await platform.stop();
      }
    }
    figures.push({
      benchmark: 'enrollments',
      id: 'enrollments.distributed',
      name: 'enrollments/s, mTLS-verified (distributed over Kafka)',
      unit: 'enrollments/s',
      value: distributed.value,
      higherIsBetter: true,
      ...(distributed.latencyMs ? { latencyMs: distributed.latencyMs } : {}),
      comparisons: [compared('embedded, same run', distributed.value, ours.perSecond, true)],
      goal: reported(),
      ...(distributed.value === null ? { unavailable: distributed.note } : {}),
      definition: `${DEFINITION} Distributed: the five service processes over real Kafka (npm run start:distributed).`,
    });
    return figures;
  },
};
