import { randomUUID } from 'node:crypto';
import { DRIVERS, waitFor } from '@flexgalaxy/testing';
import { BulkMatchWorker } from '../src/lib/rollouts/bulk-match.worker.js';
import { createPolicy, enrollTarget, publishSoftware } from './fixtures.js';
import { amr, OtaForgeHarness, uniqueId } from './ota-forge.harness.js';

/** `count` targets of one new model (ids in controller-id order) and a release of `software`. */
async function modelFleet(
  harness: OtaForgeHarness,
  owner: { id: string; token: string },
  count: number,
  software: string,
) {
  const model = uniqueId(software.slice(0, 1));
  const ids = Array.from({ length: count }, (_, i) => `${model}-${String(i).padStart(2, '0')}`);
  for (const id of ids) await enrollTarget(harness, owner.id, { id, attributes: amr(id, { model }) });
  const { setId } = await publishSoftware(harness, owner.token, software, '1.0');
  return { model, ids, setId };
}

// A policy over more targets than one chunk: the write matches the first chunk and answers; the
// matcher carries on from the progress recorded on the policy (its poll is set far off here so
// the test drives it, as a restarted process would pick the match up).
describe.each(DRIVERS)('OTA Forge bulk matching in chunks on %s', (driver) => {
  const harness = new OtaForgeHarness();
  const developer = `chunksoft-${randomUUID().slice(0, 6)}`;
  let devToken: string;

  beforeAll(async () => {
    await harness.start(driver, { OTA_BULK_MATCH_CHUNK: '4', OTA_BULK_MATCH_POLL_MS: '600000' });
    devToken = await harness.accountToken(developer);
  });
  afterAll(() => harness.stop());

  const policyOf = async (id: string) => (await harness.call('GET', `/ota/v1/policies/${id}`, devToken)).body;

  it('should match the first chunk before answering, show the progress, and finish chunk by chunk', async () => {
    const { model, ids, setId } = await modelFleet(harness, { id: developer, token: devToken }, 10, 'ChunkOS');

    const policy = await createPolicy(harness, devToken, {
      targetExpression: `model = "${model}"`,
      distributionSetId: setId,
      waves: { percentages: [20, 100], successThreshold: 100, errorThreshold: 100 },
    });
    expect([policy.matched, policy.bulkMatch]).toEqual([4, { complete: false, targetsDone: 4, targetsTotal: 10 }]);
    expect((await policyOf(policy.id))['bulkMatch']).toEqual({ complete: false, targetsDone: 4, targetsTotal: 10 });

    await harness.app.get(BulkMatchWorker).drain();

    expect((await policyOf(policy.id))['bulkMatch']).toEqual({ complete: true, targetsDone: 10, targetsTotal: 10 });
    const actions = await harness.prisma.otaAction.findMany({
      where: { policyId: policy.id },
      orderBy: { targetId: 'asc' },
    });
    expect(actions.map((action) => [action.targetId, action.wave])).toEqual(
      ids.map((id, index) => [id, index < 2 ? 0 : 1]),
    );
    const events = await harness.prisma.outboxEvent.count({
      where: { type: 'ota.action.created', deviceId: { in: ids } },
    });
    expect(events).toBe(10);
  });

  it('should leave a paused policy where it stopped, and start over when it is active again', async () => {
    const { model, setId } = await modelFleet(harness, { id: developer, token: devToken }, 6, 'PauseOS');
    const policy = await createPolicy(harness, devToken, {
      targetExpression: `model = "${model}"`,
      distributionSetId: setId,
    });
    const paused = await harness.call('PATCH', `/ota/v1/policies/${policy.id}`, devToken, { status: 'paused' });
    expect(paused.status).toBe(200);

    await harness.app.get(BulkMatchWorker).drain();
    expect(await harness.prisma.otaAction.count({ where: { policyId: policy.id } })).toBe(4);

    const resumed = await harness.call('PATCH', `/ota/v1/policies/${policy.id}`, devToken, { status: 'active' });
    // Matched again from the start: the 4 with an action are passed over, the 2 left fit in one chunk.
    expect([resumed.body['matched'], resumed.body['bulkMatch']]).toEqual([
      2,
      { complete: true, targetsDone: 2, targetsTotal: 2 },
    ]);
    expect(await harness.prisma.otaAction.count({ where: { policyId: policy.id } })).toBe(6);
  });
});

describe('OTA Forge bulk matcher on its own (postgres)', () => {
  const harness = new OtaForgeHarness();
  const developer = `pollsoft-${randomUUID().slice(0, 6)}`;

  beforeAll(() => harness.start('postgres', { OTA_BULK_MATCH_CHUNK: '3', OTA_BULK_MATCH_POLL_MS: '50' }));
  afterAll(() => harness.stop());

  it('should finish a match the write left unfinished without being asked', async () => {
    const devToken = await harness.accountToken(developer);
    const { model, setId } = await modelFleet(harness, { id: developer, token: devToken }, 8, 'PollOS');
    const policy = await createPolicy(harness, devToken, {
      targetExpression: `model = "${model}"`,
      distributionSetId: setId,
    });
    expect([policy.matched, policy.bulkMatch]).toEqual([3, { complete: false, targetsDone: 3, targetsTotal: 8 }]);
    const progress = await waitFor(async () => {
      const body = (await harness.call('GET', `/ota/v1/policies/${policy.id}`, devToken)).body;
      const bulkMatch = body['bulkMatch'] as { complete: boolean };
      return bulkMatch.complete ? bulkMatch : null;
    });
    expect(progress).toEqual({ complete: true, targetsDone: 8, targetsTotal: 8 });
    expect(await harness.prisma.otaAction.count({ where: { policyId: policy.id } })).toBe(8);
  });
});
