import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../../demo/story/concurrency.js';
import type { EnrolledDevice, EnrollLoadJob, EnrollLoadResult } from '../load/enroll-load.js';
import type { Benchmark } from '../lib/benchmark.js';
import { runLoad } from '../lib/child.js';
import { atMost, round } from '../lib/figures.js';
import { createChild, createMaker } from '../lib/fleet.js';

/** The API's largest batch (DeviceAdmin accepts up to 500 device ids per call). */
const BATCH = 500;

export const batchTransfer: Benchmark = {
  name: 'batch-transfer',
  description: 'batch transfer of 10,000 devices through DeviceAdmin (< 60 s)',
  timeoutMs: (smoke) => (smoke ? 150_000 : 1_500_000),
  async run(context) {
    const count = context.size(50, 10_000);
    const enrollSeconds = context.size(60, 150);
    const transferSeconds = context.size(60, 120);
    const platform = await context.platform();
    const scratch = mkdtempSync(join(tmpdir(), 'fg-bench-transfer-'));
    try {
      const maker = await createMaker(platform, `Transfer Bench ${Date.now()}`);
      const distributor = await createChild(platform, maker, 'Transfer Bench Distributor');
      const credentialsFile = join(scratch, 'devices.json');
      const enrolled = await runLoad<EnrollLoadResult>(
        'enroll-load',
        {
          mode: 'throughput',
          provisioningUrl: platform.urls.provisioning,
          tls: platform.deviceTls,
          client: maker.client,
          manufacturer: `TransferBench${Date.now()}`,
          warmup: 0,
          count,
          concurrency: 16,
          durationSeconds: enrollSeconds,
          credentialsFile,
        } satisfies EnrollLoadJob,
        enrollSeconds * 1000 + 300_000,
      );
      const devices = JSON.parse(readFileSync(credentialsFile, 'utf8')) as EnrolledDevice[];
      if (devices.length === 0) throw new Error(`setup enrolled no device: ${enrolled.firstError}`);
      const fleet = devices.length;
      const api = platform.api(platform.urls.org);
      // DeviceAdmin learns the devices from device.provisioned: the transfer starts once it knows all.
      await eventually(
        'DeviceAdmin knows every enrolled device',
        async () => {
          const answer = await api.call<{ owned: number }>('GET', `/deviceadmin/v1/accounts/${maker.id}/device-count`, {
            token: await maker.credentials.token(),
          });
          return answer.body.owned >= fleet ? true : undefined;
        },
        { timeoutMs: 300_000 },
      );
      context.log(`${fleet} devices enrolled (setup, ${round(enrolled.seconds)} s); transferring`);
      const ids = devices.map((device) => device.deviceId);
      let transferred = 0;
      let attempted = 0;
      const started = performance.now();
      for (let start = 0; start < ids.length && performance.now() - started < transferSeconds * 1000; start += BATCH) {
        attempted += Math.min(BATCH, ids.length - start);
        const answer = await api.expect<{ succeeded: number; failed: number }>(
          [200, 207],
          'POST',
          '/deviceadmin/v1/transfers',
          {
            token: await maker.credentials.token(),
            body: { deviceIds: ids.slice(start, start + BATCH), targetAccountId: distributor.id },
          },
        );
        transferred += answer.succeeded;
      }
      const seconds = (performance.now() - started) / 1000;
      if (transferred !== attempted) throw new Error(`${transferred} of ${attempted} transferred`);
      const perSecond = transferred / seconds;
      // Measured whole when the setup enrolled them all in its time box; otherwise projected from the rate.
      const forCount = transferred === count ? seconds : count / perSecond;
      context.log(`${transferred} transferred in ${round(seconds, 2)} s (${round(perSecond, 1)}/s)`);
      return [
        {
          benchmark: 'batch-transfer',
          id: 'batch-transfer.10k',
          name: `batch transfer of ${count.toLocaleString('en-US')} devices`,
          unit: 's',
          value: round(forCount, 2),
          higherIsBetter: false,
          comparisons: [],
          goal: atMost(forCount, 60, '< 60 s'),
          definition:
            `Enrolled devices (setup, not measured; at most ${enrollSeconds} s of enrollments) move from the maker to its distributor through ` +
            `POST /deviceadmin/v1/transfers in calls of ${BATCH} (the API's largest batch), one after another; ` +
            "each device's MQTT token, DDI token and client secret are rotated and ownership changes in provisioning, " +
            `org and OTA Forge. From the first call until the last answers (at most ${transferSeconds} s of calls). ` +
            `When fewer than ${count} devices were transferred, the value is ${count} ÷ the measured devices/s ` +
            '(a projection; the measured count and time are in details).',
          details: {
            transferred,
            seconds: round(seconds, 2),
            perSecond: round(perSecond, 2),
            measuredWhole: transferred === count,
          },
        },
      ];
    } finally {
      rmSync(scratch, { recursive: true, force: true });
      await platform.release();
    }
  },
};
