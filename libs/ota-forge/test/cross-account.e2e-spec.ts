import { randomUUID } from 'node:crypto';
import type { EventMap } from '@flexgalaxy/contracts';
import { DRIVERS } from '@flexgalaxy/testing';
import type { ScriptedDdiClient } from './ddi-client.js';
import { createPolicy, enrollTarget, publishSoftware } from './fixtures.js';
import { amr, OtaForgeHarness, uniqueId } from './ota-forge.harness.js';

type Grant = EventMap['marketplace.grant.created'];

/**
 * seed 000 §3 "Cross-Account OTA": SyriusSoft's policies reach RoboMake's robots only through a
 * marketplace "Get"; what happens to updates when a robot changes hands depends on the software's
 * category and the Get's scope.
 */
describe.each(DRIVERS)('OTA Forge cross-account OTA on %s (seed 000 §3)', (driver) => {
  const harness = new OtaForgeHarness();
  const suffix = randomUUID().slice(0, 6);
  const syrius = `syriussoft-${suffix}`;
  const robomake = `robomake-${suffix}`;
  const japan = `japan-${suffix}`;
  const outsider = `warehouse-x-${suffix}`;
  let devToken: string;

  const account = (accountId: string, parent: string | null, root: string) => ({
    type: 'org.account.created' as const,
    payload: {
      accountId,
      name: accountId,
      kind: parent ? ('member' as const) : ('maker' as const),
      parentAccountId: parent,
      orgRootAccountId: root,
      path: parent ? `/${root}/${accountId}/` : `/${accountId}/`,
    },
    accountId,
  });

  const grant = async (listingId: string, overrides: Partial<Grant> = {}): Promise<string> => {
    const grantId = uniqueId('grant');
    await harness.publish([
      {
        type: 'marketplace.grant.created',
        payload: {
          grantId,
          listingId,
          granteeAccountId: robomake,
          scope: 'account',
          orgRootAccountId: robomake,
          versionScoping: 'all',
          grantedVersion: '3.0',
          ...overrides,
        },
        accountId: overrides.granteeAccountId ?? robomake,
      },
    ]);
    return grantId;
  };

  /** Provisioning's transfer: the target changes owner (PATCH), then device.transferred. */
  const transfer = async (
    device: ScriptedDdiClient,
    from: string,
    to: string,
    attributes = amr(device.controllerId),
  ) => {
    const patched = await harness.call('PATCH', `/ota/v1/targets/${device.controllerId}`, harness.adminToken, {
      accountId: to,
    });
    expect(patched.status).toBe(200);
    await harness.publish([
      {
        type: 'device.transferred',
        payload: {
          deviceId: device.controllerId,
          fromAccountId: from,
          toAccountId: to,
          state: 'FIELD_ACTIVE',
          attributes,
        },
        accountId: to,
        deviceId: device.controllerId,
      },
    ]);
  };

  /** A listing, its 3.0 release and a policy targeting one model; returns what the tests vary. */
  const release = async (category: 'application' | 'device_bound', versions = ['3.0', '3.1']) => {
    const listingId = uniqueId('listing');
    const model = uniqueId('X');
    await harness.publish([
      {
        type: 'listing.published',
        payload: {
          listingId,
          developerAccountId: syrius,
          name: `Soft ${listingId}`,
          version: versions[0]!,
          category,
          versionScoping: 'all',
          licensePolicy: { softwareType: 'firmware', licenseType: 'OFFICIAL', trigger: 'on_install' },
        },
        accountId: syrius,
      },
    ]);
    const sets: number[] = [];
    for (const version of versions)
      sets.push((await publishSoftware(harness, devToken, `Soft-${model}`, version)).setId);
    return { listingId, model, sets };
  };

  const policyFor = (rel: { listingId: string; model: string; sets: number[] }, expression?: string) =>
    createPolicy(harness, devToken, {
      targetExpression: expression ?? `model = "${rel.model}"`,
      distributionSetId: rel.sets[0],
      listingId: rel.listingId,
    });

  const retarget = async (policyId: string, setId: number) => {
    const answer = await harness.call('PATCH', `/ota/v1/policies/${policyId}`, devToken, { distributionSetId: setId });
    expect(answer.status).toBe(200);
  };

  const versionOffered = async (device: ScriptedDdiClient): Promise<string | null> => {
    const link = await device.deploymentLink();
    if (!link) return null;
    const base = await device.deployment();
    return base.deployment.chunks[0]!.version;
  };

  beforeAll(async () => {
    await harness.start(driver);
    devToken = await harness.accountToken(syrius);
    await harness.publish([
      account(robomake, null, robomake),
      account(japan, robomake, robomake),
      account(outsider, null, outsider),
    ]);
  });
  afterAll(() => harness.stop());

  it("should not deploy a developer's software onto another account's robots until that account Gets it", async () => {
    const rel = await release('application');
    await policyFor(rel);
    const robot = await enrollTarget(harness, robomake, { attributes: amr('g-1', { model: rel.model }) });
    expect(await robot.deploymentLink()).toBeNull();
    await grant(rel.listingId);
    expect(await versionOffered(robot)).toBe('3.0');
  });

  it('should keep updating application software after a transfer inside the org under an org-wide Get', async () => {
    const rel = await release('application');
    await grant(rel.listingId, { scope: 'org' });
    const policy = await policyFor(rel);
    const robot = await enrollTarget(harness, robomake, { attributes: amr('o-1', { model: rel.model }) });
    await robot.install(await robot.deployment());
    await transfer(robot, robomake, japan, amr('o-1', { model: rel.model }));
    await retarget(policy.id, rel.sets[1]!);
    expect(await versionOffered(robot)).toBe('3.1');
  });

  it('should stop application updates after a transfer under an account-only Get, withdrawing what was pending', async () => {
    const rel = await release('application');
    await grant(rel.listingId, { scope: 'account' });
    const policy = await policyFor(rel);
    const pending = await enrollTarget(harness, robomake, { attributes: amr('a-1', { model: rel.model }) });
    const delivered = await enrollTarget(harness, robomake, { attributes: amr('a-2', { model: rel.model }) });
    const running = await delivered.deployment();
    await transfer(pending, robomake, japan, amr('a-1', { model: rel.model }));
    await transfer(delivered, robomake, japan, amr('a-2', { model: rel.model }));
    expect(await pending.deploymentLink()).toBeNull();
    // The delivered one is told to stop through cancelAction, and confirms.
    const root = await delivered.poll();
    const cancelHref = root.body._links?.['cancelAction']?.href;
    expect(cancelHref).toContain(`/cancelAction/${running.id}`);
    const cancel = await delivered.get(cancelHref!);
    expect(cancel.body).toEqual({ id: running.id, cancelAction: { stopId: running.id } });
    expect((await delivered.feedback(running.id, 'closed', 'success', {}, 'cancelAction')).status).toBe(200);
    expect((await delivered.poll()).body._links?.['cancelAction']).toBeUndefined();
    await retarget(policy.id, rel.sets[1]!);
    expect(await pending.deploymentLink()).toBeNull();
    expect(await delivered.deploymentLink()).toBeNull();
  });

  it('should stop application updates for a new owner outside the org until that owner Gets it', async () => {
    const rel = await release('application');
    await grant(rel.listingId, { scope: 'org' });
    const policy = await policyFor(rel);
    const robot = await enrollTarget(harness, robomake, { attributes: amr('x-1', { model: rel.model }) });
    await robot.install(await robot.deployment());
    await transfer(robot, robomake, outsider, amr('x-1', { model: rel.model }));
    await retarget(policy.id, rel.sets[1]!);
    expect(await robot.deploymentLink()).toBeNull();
    await grant(rel.listingId, { granteeAccountId: outsider, scope: 'account', orgRootAccountId: outsider });
    expect(await versionOffered(robot)).toBe('3.1');
  });

  it('should keep updating device-bound software targeting the manufacturer through every transfer', async () => {
    const rel = await release('device_bound');
    const manufacturer = uniqueId('RoboMake');
    await grant(rel.listingId, { scope: 'org' });
    const policy = await policyFor(rel, `manufacturer = "${manufacturer}"`);
    const attributes = amr('d-1', { manufacturer });
    const robot = await enrollTarget(harness, robomake, { attributes });
    await harness.publish([
      {
        type: 'device.provisioned',
        payload: {
          deviceId: robot.controllerId,
          accountId: robomake,
          scenario: 'factory',
          state: 'FACTORY_PROVISIONED',
          attributes,
        },
        accountId: robomake,
        deviceId: robot.controllerId,
      },
    ]);
    await robot.install(await robot.deployment());
    await transfer(robot, robomake, japan, attributes);
    await transfer(robot, japan, outsider, attributes);
    await retarget(policy.id, rel.sets[1]!);
    expect(await versionOffered(robot)).toBe('3.1');
  });

  it.each([
    { scoping: 'all' as const, granted: '3.0', offered: '4.0', covered: true },
    { scoping: 'major' as const, granted: '3.0', offered: '3.7', covered: true },
    { scoping: 'major' as const, granted: '3.0', offered: '4.0', covered: false },
    { scoping: 'exact' as const, granted: '3.0', offered: '3.0', covered: true },
    { scoping: 'exact' as const, granted: '3.0', offered: '3.1', covered: false },
  ])(
    'should honour $scoping version scoping: a Get of $granted covers $offered: $covered',
    async ({ scoping, granted, offered, covered }) => {
      const rel = await release('application', [offered]);
      await grant(rel.listingId, { versionScoping: scoping, grantedVersion: granted });
      await policyFor(rel);
      const robot = await enrollTarget(harness, robomake, { attributes: amr('v-1', { model: rel.model }) });
      expect(await versionOffered(robot)).toBe(covered ? offered : null);
    },
  );

  it('should withdraw open actions when the Get is revoked', async () => {
    const rel = await release('application');
    const grantId = await grant(rel.listingId);
    await policyFor(rel);
    const robot = await enrollTarget(harness, robomake, { attributes: amr('r-1', { model: rel.model }) });
    await harness.publish([
      { type: 'marketplace.grant.revoked', payload: { grantId, listingId: rel.listingId }, accountId: robomake },
    ]);
    expect(await robot.deploymentLink()).toBeNull();
    const actions = await harness.prisma.otaAction.findMany({ where: { targetId: robot.controllerId } });
    expect(actions.map((action) => action.status)).toEqual(['canceled']);
  });

  it("should deploy an account's own software onto its own robots without any Get", async () => {
    const makerToken = await harness.accountToken(robomake);
    const software = await publishSoftware(harness, makerToken, 'RobotOS', '2.0');
    const model = uniqueId('own');
    await createPolicy(harness, makerToken, {
      targetExpression: `model = "${model}"`,
      distributionSetId: software.setId,
    });
    const robot = await enrollTarget(harness, robomake, { attributes: amr('own-1', { model }) });
    expect(await robot.deploymentLink()).not.toBeNull();
  });
});
