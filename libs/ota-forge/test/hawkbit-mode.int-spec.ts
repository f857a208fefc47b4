import { randomBytes, randomUUID } from 'node:crypto';
import { HawkbitOtaBackend, hawkbitConfigSchema } from '@flexgalaxy/adapters';
import { freePort, POSTGRES_AVAILABLE, realServer } from '@flexgalaxy/testing';
import { createPolicy, enrollTarget, publishSoftware } from './fixtures.js';
import { amr, newToken, OtaForgeHarness, sha256 } from './ota-forge.harness.js';

// hawkBit mode against the real hawkBit update server (`npm run infra:up`) and the machine's
// PostgreSQL. hawkBit's in-memory database outlives test runs: every id here is unique per run.
const hawkbitEnv = realServer(
  ['HAWKBIT_URL', 'HAWKBIT_TENANT', 'HAWKBIT_USER', 'HAWKBIT_PASSWORD'],
  'hawkBit update server',
);
if (hawkbitEnv && !POSTGRES_AVAILABLE) console.warn('SKIPPED: hawkBit mode tests need the PostgreSQL server');
const describeHawkbit = hawkbitEnv && POSTGRES_AVAILABLE ? describe : describe.skip;

const run = randomUUID().slice(0, 8);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describeHawkbit('OTA Forge in hawkBit mode against the real hawkBit (issue 9 item 4)', () => {
  const env = hawkbitEnv ?? {};
  // Built in beforeAll: a skipped suite's body still runs, and without hawkBit there is no config.
  let hawkbit: HawkbitOtaBackend;
  const management = async (path: string) => {
    const basic = Buffer.from(`${env['HAWKBIT_USER']}:${env['HAWKBIT_PASSWORD']}`).toString('base64');
    const response = await fetch(`${env['HAWKBIT_URL']}/rest/v1${path}`, {
      headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };

  const harness = new OtaForgeHarness();
  const developer = `hb-dev-${run}`;
  let devToken: string;

  beforeAll(async () => {
    hawkbit = new HawkbitOtaBackend(hawkbitConfigSchema.parse(env));
    await harness.start('postgres', {
      HAWKBIT_URL: env['HAWKBIT_URL']!,
      HAWKBIT_TENANT: env['HAWKBIT_TENANT']!,
      HAWKBIT_USER: env['HAWKBIT_USER']!,
      HAWKBIT_PASSWORD: env['HAWKBIT_PASSWORD']!,
    });
    devToken = await harness.accountToken(developer);
  });
  afterAll(() => harness.stop());

  it('should run enroll → hawkBit target with metadata → policy match → assignment → proxied poll, deploymentBase, verified download, feedback → action closed in hawkBit and announced', async () => {
    const model = `HB-${run}`;
    const file = randomBytes(256 * 1024 + 17);
    const software = await publishSoftware(harness, devToken, `NavStack-${run}`, '2.0.0', file);

    // Catalog mirrored: module, artifact (hawkBit verified our hashes) and set carry hawkBit ids.
    const module = await harness.prisma.otaSoftwareModule.findUniqueOrThrow({
      where: { id: BigInt(software.moduleId) },
      include: { artifacts: true },
    });
    expect(module.hawkbitId).not.toBeNull();
    expect(module.artifacts[0]!.hawkbitId).not.toBeNull();
    const hbArtifact = await management(
      `/softwaremodules/${module.hawkbitId}/artifacts/${module.artifacts[0]!.hawkbitId}`,
    );
    expect(hbArtifact.body).toMatchObject({ size: file.length, hashes: { sha256: sha256(file) } });
    const set = await harness.prisma.otaDistributionSet.findUniqueOrThrow({ where: { id: BigInt(software.setId) } });
    expect((await management(`/distributionsets/${set.hawkbitId}`)).body).toMatchObject({ complete: true });

    // Enrolment as provisioning does it: the hawkBit target exists with its token and metadata.
    const device = await enrollTarget(harness, developer, {
      id: `hb-${run}-flow`,
      attributes: amr(`SN-${run}`, { model }),
      timezone: 'Asia/Tokyo',
    });
    const hbTarget = await management(`/targets/${device.controllerId}`);
    expect(hbTarget.status).toBe(200);
    expect(hbTarget.body['name']).toBe(device.controllerId);
    expect(await hawkbit.targetMetadata(device.controllerId)).toEqual({
      account: developer,
      type: 'amr',
      model,
      revision: 'r3',
      manufacturer: 'RoboMake',
      serial: `SN-${run}`,
      firmware_version: '1.0.0',
      capabilities: 'navigation',
      timezone: 'Asia/Tokyo',
    });

    // The policy engine matches; nothing is assigned in hawkBit until the device polls.
    const policy = await createPolicy(harness, devToken, {
      targetExpression: `model = "${model}"`,
      distributionSetId: software.setId,
    });
    expect(policy.matched).toBe(1);
    expect((await management(`/targets/${device.controllerId}/actions`)).body['total']).toBe(0);

    const poll = await device.poll();
    expect(poll.status).toBe(200);
    const deploymentHref = poll.body._links?.['deploymentBase']?.href ?? '';
    expect(
      deploymentHref.startsWith(`${harness.baseUrl}/DEFAULT/controller/v1/${device.controllerId}/deploymentBase/`),
    ).toBe(true);
    const action = await harness.prisma.otaAction.findFirstOrThrow({ where: { targetId: device.controllerId } });
    expect(action.status).toBe('retrieved');
    expect(action.hawkbitActionId).not.toBeNull();
    const hawkbitActionId = Number(action.hawkbitActionId);
    expect(deploymentHref).toContain(`/deploymentBase/${hawkbitActionId}`);
    expect(await hawkbit.action(device.controllerId, hawkbitActionId)).toMatchObject({ active: true });

    const deployment = await device.deployment();
    expect(deployment.id).toBe(String(hawkbitActionId));
    // The device sees the software's own name, as on the native DDI (hawkBit's carries an owner tag).
    expect(deployment.deployment.chunks.map((chunk) => [chunk.name, chunk.version])).toEqual([
      [`NavStack-${run}`, '2.0.0'],
    ]);
    const artifact = deployment.deployment.chunks[0]!.artifacts[0]!;
    expect(artifact.hashes.sha256).toBe(sha256(file));
    const href = artifact._links['download-http']!.href;
    expect(href.startsWith(harness.baseUrl)).toBe(true);

    // A resumed download: the Range goes to hawkBit and its 206 comes back unchanged.
    const partial = await device.get(href, { range: 'bytes=100-1123' });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe(`bytes 100-1123/${file.length}`);
    expect(partial.raw.equals(file.subarray(100, 1124))).toBe(true);

    await device.install(deployment); // full downloads, sha256 checked, proceeding → downloaded → closed/success

    expect(await hawkbit.action(device.controllerId, hawkbitActionId)).toMatchObject({
      active: false,
      status: 'finished',
    });
    const finished = await harness.prisma.otaAction.findUniqueOrThrow({ where: { id: action.id } });
    expect(finished.status).toBe('finished');
    const statuses = (await harness.statusEvents(device.controllerId)).map((event) => event.status);
    expect(statuses).toEqual(expect.arrayContaining(['downloading', 'downloaded', 'installed']));
    expect(statuses.at(-1)).toBe('installed');

    // hawkBit's answers pass through: feedback on a closed action is its 410.
    expect((await device.feedback(String(hawkbitActionId), 'closed', 'success')).status).toBe(410);

    // Nothing more for the device, and whatever hawkBit links (installedBase from 1.x on) is ours.
    const after = await device.poll();
    expect(after.status).toBe(200);
    expect(after.body._links?.['deploymentBase']).toBeUndefined();
    for (const link of Object.values(after.body._links ?? {})) expect(link.href.startsWith(harness.baseUrl)).toBe(true);

    // Poll latency: through the proxy (auth + policy step + hawkBit) and hawkBit's DDI directly.
    const token = (device as unknown as { token: string }).token;
    const direct = `${env['HAWKBIT_URL']}/${env['HAWKBIT_TENANT']}/controller/v1/${device.controllerId}`;
    const proxied: number[] = [];
    const straight: number[] = [];
    for (let i = 0; i < 40; i++) {
      let started = performance.now();
      expect((await device.poll()).status).toBe(200);
      proxied.push(performance.now() - started);
      started = performance.now();
      const response = await fetch(direct, { headers: { authorization: `TargetToken ${token}` } });
      await response.arrayBuffer();
      straight.push(performance.now() - started);
    }
    console.log(
      `DDI poll latency (ms, n=40): through OTA Forge's proxy p50 ${percentile(proxied, 50).toFixed(1)} p95 ${percentile(proxied, 95).toFixed(1)}; ` +
        `hawkBit directly p50 ${percentile(straight, 50).toFixed(1)} p95 ${percentile(straight, 95).toFixed(1)}`,
    );
  });

  it('should cancel in hawkBit what our engine withdrew after delivery, and close both on the device’s cancel feedback', async () => {
    const model = `HB-CANCEL-${run}`;
    const software = await publishSoftware(harness, devToken, `Withdrawn-${run}`, '1.0.0');
    const device = await enrollTarget(harness, developer, {
      id: `hb-${run}-cancel`,
      attributes: amr('c-1', { model }),
    });
    await createPolicy(harness, devToken, {
      targetExpression: `model = "${model}"`,
      distributionSetId: software.setId,
    });
    expect((await device.poll()).body._links?.['deploymentBase']).toBeDefined();
    const action = await harness.prisma.otaAction.findFirstOrThrow({ where: { targetId: device.controllerId } });
    const hawkbitActionId = Number(action.hawkbitActionId);
    // What withdrawUnentitled does to a delivered action (transfer, revoked grant): canceling.
    await harness.prisma.otaAction.update({ where: { id: action.id }, data: { status: 'canceling' } });

    const poll = await device.poll();

    const cancelHref = poll.body._links?.['cancelAction']?.href ?? '';
    expect(cancelHref.startsWith(`${harness.baseUrl}/DEFAULT/controller/v1/${device.controllerId}/cancelAction/`)).toBe(
      true,
    );
    expect(poll.body._links?.['deploymentBase']).toBeUndefined();
    expect(await hawkbit.action(device.controllerId, hawkbitActionId)).toMatchObject({ status: 'canceling' });
    expect((await device.get(cancelHref)).status).toBe(200);
    expect((await device.feedback(String(hawkbitActionId), 'closed', 'success', {}, 'cancelAction')).status).toBe(200);
    expect(await hawkbit.action(device.controllerId, hawkbitActionId)).toMatchObject({
      active: false,
      status: 'canceled',
    });
    const ours = await harness.prisma.otaAction.findUniqueOrThrow({ where: { id: action.id } });
    expect(ours.status).toBe('canceled');
  });

  it('should give a deferred device no assignment in hawkBit and the deferred polling sleep', async () => {
    const model = `HB-DEFER-${run}`;
    const software = await publishSoftware(harness, devToken, `Deferred-${run}`, '1.0.0');
    const device = await enrollTarget(harness, developer, { id: `hb-${run}-defer`, attributes: amr('d-1', { model }) });
    // No battery telemetry: an unknown battery defers (seed 000 §2 constraints).
    await createPolicy(harness, devToken, {
      targetExpression: `model = "${model}"`,
      distributionSetId: software.setId,
      constraints: { minBattery: 40 },
    });

    const poll = await device.poll();

    expect(poll.status).toBe(200);
    expect(poll.body.config.polling.sleep).toBe('00:02:00');
    expect(poll.body._links?.['deploymentBase']).toBeUndefined();
    const action = await harness.prisma.otaAction.findFirstOrThrow({ where: { targetId: device.controllerId } });
    expect(action).toMatchObject({ status: 'scheduled', deferredReason: 'battery_unknown', hawkbitActionId: null });
    expect((await management(`/targets/${device.controllerId}/actions`)).body['total']).toBe(0);
  });

  it('should forward configData to hawkBit and make the policy attributes in it ours', async () => {
    const device = await enrollTarget(harness, developer, { id: `hb-${run}-config`, attributes: amr('c-1') });
    const answer = await harness.call(
      'PUT',
      `${device.root}/configData`,
      `TargetToken ${(device as unknown as { token: string }).token}`,
      { mode: 'merge', data: { firmware_version: '3.1.0', hwBoard: 'rev-b' } },
    );
    expect(answer.status).toBe(200);
    expect((await management(`/targets/${device.controllerId}/attributes`)).body).toMatchObject({
      firmware_version: '3.1.0',
      hwBoard: 'rev-b',
    });
    const target = await harness.prisma.otaTarget.findUniqueOrThrow({ where: { controllerId: device.controllerId } });
    expect(target.firmwareVersion).toBe('3.1.0');
    expect(target.configData).toEqual({ firmware_version: '3.1.0', hwBoard: 'rev-b' });
  });

  it('should delete the hawkBit target with ours, and refuse an unknown token before asking hawkBit', async () => {
    const device = await enrollTarget(harness, developer, { id: `hb-${run}-delete`, attributes: amr('x-1') });
    expect((await device.poll()).status).toBe(200);
    expect((await harness.call('DELETE', `/ota/v1/targets/${device.controllerId}`, harness.adminToken)).status).toBe(
      204,
    );
    expect((await management(`/targets/${device.controllerId}`)).status).toBe(404);
    expect((await device.poll()).status).toBe(401);
  });

  describe('with hawkBit down', () => {
    const down = new OtaForgeHarness();

    beforeAll(async () => {
      await down.start('postgres', {
        HAWKBIT_URL: `http://127.0.0.1:${await freePort()}`,
        HAWKBIT_USER: 'admin',
        HAWKBIT_PASSWORD: 'admin',
        HAWKBIT_TIMEOUT_MS: '2000',
      });
    });
    afterAll(() => down.stop());

    it('should answer a target upsert 503 naming hawkBit and store nothing', async () => {
      const id = `hb-${run}-down`;
      const answer = await down.call('PUT', `/ota/v1/targets/${id}`, down.adminToken, {
        accountId: developer,
        name: id,
        securityToken: newToken(),
        attributes: { ...amr(id), timezone: null },
      });
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ code: 'HAWKBIT.UNAVAILABLE', message: expect.stringContaining('hawkBit') });
      expect(await down.prisma.otaTarget.count({ where: { controllerId: id } })).toBe(0);
    });

    it('should refuse an unknown token with 401 without a request to hawkBit', async () => {
      // hawkBit is unreachable here: an answer that needed it would be a 503.
      const answer = await down.call('GET', `/DEFAULT/controller/v1/hb-${run}-nobody`, `TargetToken ${newToken()}`);
      expect(answer.status).toBe(401);
    });

    it('should answer a known device 503 when hawkBit cannot be reached', async () => {
      const id = `hb-${run}-down-known`;
      const token = newToken();
      // Written directly: the targets API itself refuses while hawkBit is down.
      await down.prisma.otaTarget.create({
        data: {
          controllerId: id,
          accountId: developer,
          makerAccountId: developer,
          name: id,
          securityTokenHash: sha256(Buffer.from(token)),
          type: 'amr',
          typeFolded: 'amr',
          manufacturer: 'RoboMake',
          manufacturerFolded: 'robomake',
          serial: id,
          serialKey: id,
          capabilities: [],
        },
      });
      const answer = await down.call('GET', `/DEFAULT/controller/v1/${id}`, `TargetToken ${token}`);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ code: 'HAWKBIT.UNAVAILABLE' });
    });
  });
});
