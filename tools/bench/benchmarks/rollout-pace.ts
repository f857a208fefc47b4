import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpLoadJob, HttpLoadResult } from '../load/http-load.js';
import type { Benchmark } from '../lib/benchmark.js';
import { runLoad } from '../lib/child.js';
import { atLeast, reported, round, type Figure } from '../lib/figures.js';
import { createMaker, publishRelease, seedTargets } from '../lib/fleet.js';
import { rssMiB } from '../lib/platform.js';

const CONNECTIONS = 32;

/**
 * A 100,000-device rollout: a new policy for the whole fleet, then every device's next DDI poll.
 * Also the platform's memory, idle and after carrying the 100,000-device rollout.
 */
export const rolloutPace: Benchmark = {
  name: 'rollout-pace',
  description: 'rollout pace (devices notified per minute, 100,000-device rollout) and platform RSS idle / at 100k',
  timeoutMs: (smoke) => (smoke ? 150_000 : 1_200_000),
  async run(context) {
    const count = context.size(300, 100_000);
    const platform = await context.platform();
    try {
      await sleep(3000);
      const idle = rssMiB(platform.pid);
      const maker = await createMaker(platform, `Rollout Bench ${Date.now()}`);
      const seeded = await seedTargets(platform.otaPool, {
        accountId: maker.id,
        manufacturer: 'RollMake',
        from: 1,
        count,
      });
      const set = await publishRelease(platform, maker, 'BenchOS');
      context.log(`idle RSS ${round(idle)} MiB; ${count} targets seeded`);
      let peak = rssMiB(platform.pid);
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMiB(platform.pid));
      }, 250);
      const idleFigure: Figure = {
        benchmark: 'rollout-pace',
        id: 'memory.idle',
        name: 'platform RSS, idle',
        unit: 'MiB',
        value: round(idle),
        higherIsBetter: false,
        comparisons: [],
        goal: reported(),
        definition: 'VmRSS of the platform process (all five services), 3 s after it listens on an empty database.',
      };
      let result: HttpLoadResult;
      try {
        result = await runLoad<HttpLoadResult>(
          'http-load',
          {
            mode: 'sweep',
            url: platform.urls.otaForge,
            connections: CONNECTIONS,
            targets: { ...seeded, tenant: 'DEFAULT' },
            policy: {
              url: `${platform.urls.otaForge}/ota/v1/policies`,
              token: await maker.credentials.token(),
              body: {
                name: 'fleet rollout',
                targetExpression: 'type = "amr"',
                distributionSetId: set,
                category: 'device_bound',
              },
            },
            maxSeconds: context.size(60, 150),
          } satisfies HttpLoadJob,
          context.size(120_000, 900_000),
        );
      } catch (error) {
        // The rollout failed: the idle memory was still measured, and the failure is the figure.
        const message = error instanceof Error ? error.message : String(error);
        return [
          {
            benchmark: 'rollout-pace',
            id: 'rollout-pace.100k',
            name: `rollout pace, ${count.toLocaleString('en-US')}-device rollout`,
            unit: 'devices/min',
            value: null,
            higherIsBetter: true,
            comparisons: [],
            goal: { text: '≥ 60,000/min', met: false },
            definition: `A policy matching all ${count} seeded targets, then every target's next DDI poll.`,
            error: message.split('\n').find((line) => line.startsWith('Error:')) ?? message.slice(0, 500),
          },
          idleFigure,
          {
            benchmark: 'rollout-pace',
            id: 'memory.100k',
            name: `platform RSS with ${count.toLocaleString('en-US')} targets (rollout failed)`,
            unit: 'MiB',
            value: round(rssMiB(platform.pid)),
            higherIsBetter: false,
            comparisons: [],
            goal: reported(),
            definition: `VmRSS of the platform process after its ${count}-target rollout was refused (targets in its database); peak during the attempt in details.`,
            details: { peakMiB: round(peak) },
          },
        ];
      } finally {
        clearInterval(sampler);
      }
      const after = rssMiB(platform.pid);
      const offered = result.offered ?? 0;
      const minutes = (result.lastOfferedMs ?? 0) / 60_000;
      const pace = minutes > 0 ? offered / minutes : 0;
      context.log(
        `${offered}/${count} notified, last at ${round((result.lastOfferedMs ?? 0) / 1000, 2)} s (policy ${round((result.policyMs ?? 0) / 1000, 2)} s)`,
      );
      const polled = result.polled ?? 0;
      if (offered === 0 || offered < polled * 0.99) {
        throw new Error(`only ${offered} of ${polled} polls offered the deployment`);
      }
      const figures: Figure[] = [
        {
          benchmark: 'rollout-pace',
          id: 'rollout-pace.100k',
          name: `rollout pace, ${count.toLocaleString('en-US')}-device rollout`,
          unit: 'devices/min',
          value: round(pace),
          higherIsBetter: true,
          latencyMs: result.latencyMs,
          comparisons: [],
          goal: atLeast(pace, 60_000, '≥ 60,000/min'),
          definition:
            `T0 = a policy matching all ${count} seeded targets is sent (POST /ota/v1/policies, from the load process). ` +
            `As soon as it answers, every target polls DDI once (${CONNECTIONS} connections, in order, TargetToken), ` +
            `as each device's next poll would, for at most ${context.size(60, 150)} s (then the polled targets are the sample). ` +
            `Pace = targets whose poll offered deploymentBase ÷ (time from T0 to the last such answer), per minute. ` +
            `The first poll of a scheduled action also claims it (a write). Latency: the sweep's polls.`,
          details: {
            policyMs: round(result.policyMs ?? 0),
            lastOfferedMs: round(result.lastOfferedMs ?? 0),
            polled,
            targets: count,
            pollsPerSecond: round(result.perSecond),
          },
        },
        idleFigure,
        {
          benchmark: 'rollout-pace',
          id: 'memory.100k',
          name: `platform RSS at ${count.toLocaleString('en-US')} devices`,
          unit: 'MiB',
          value: round(after),
          higherIsBetter: false,
          comparisons: [],
          goal: reported(),
          definition:
            `VmRSS of the platform process right after the ${count}-device rollout (targets in its database, every one ` +
            `polled once and holding an action); peak during the rollout in details.`,
          details: { peakMiB: round(peak) },
        },
      ];
      return figures;
    } finally {
      await platform.release();
    }
  },
};
