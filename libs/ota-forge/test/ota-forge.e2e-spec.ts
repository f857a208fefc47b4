import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventCatalog } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { DRIVERS, waitFor } from '@flexgalaxy/testing';
import { publishOnce } from '../../adapters/src/device-registry/embedded/testing/mqtt-test-device.js';
import { MatchingRepository } from '../src/lib/rollouts/matching.repository.js';
import { PoliciesRepository } from '../src/lib/rollouts/policies.repository.js';
import { MatchPolicyUseCase } from '../src/lib/rollouts/use-cases/match-policy.use-case.js';
import type { DeploymentBase } from './ddi-client.js';
import { createPolicy, enrollTarget, publishSoftware, type Software } from './fixtures.js';
import { amr, newToken, OtaForgeHarness, sha256, uniqueId } from './ota-forge.harness.js';

/** Counts every call a use case makes through its transaction client (model and raw queries). */
function countingTx(tx: Tx): { tx: Tx; count: () => number } {
  let calls = 0;
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof value === 'function') {
          return (...args: unknown[]) => {
            calls++;
            return (value as (...a: unknown[]) => unknown).apply(object, args);
          };
        }
        if (value && typeof value === 'object' && typeof property === 'string' && property.startsWith('ota')) {
          return wrap(value);
        }
        return value;
      },
    });
  return { tx: wrap(tx), count: () => calls };
}

describe.each(DRIVERS)('OTA Forge over HTTP on %s (seed 000 §1-4)', (driver) => {
  const harness = new OtaForgeHarness();
  const developer = `syriussoft-${randomUUID().slice(0, 6)}`;
  const maker = `robomake-${randomUUID().slice(0, 6)}`;
  let devToken: string;
  let makerToken: string;
  let otherDevToken: string;

  beforeAll(async () => {
    await harness.start(driver);
    devToken = await harness.accountToken(developer);
    makerToken = await harness.accountToken(maker);
    otherDevToken = await harness.accountToken('other-developer');
  });
  afterAll(() => harness.stop());

  describe('targets API (provisioning, platform admin only)', () => {
    it('should create (201), replace (200), patch, read and delete a target, never answering the token', async () => {
      const id = uniqueId('t');
      const token = newToken();
      const body = {
        accountId: maker,
        name: id,
        securityToken: token,
        attributes: { ...amr(id), timezone: 'Asia/Tokyo' },
      };
      const created = await harness.call('PUT', `/ota/v1/targets/${id}`, harness.adminToken, body);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        controllerId: id,
        accountId: maker,
        enabled: true,
        attributes: { ...amr(id), timezone: 'Asia/Tokyo' },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(JSON.stringify(created.body)).not.toContain(token);
      expect((await harness.call('PUT', `/ota/v1/targets/${id}`, harness.adminToken, body)).status).toBe(200);
      const patched = await harness.call('PATCH', `/ota/v1/targets/${id}`, harness.adminToken, {
        attributes: { revision: 'r10' },
        enabled: false,
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        enabled: false,
        attributes: { revision: 'r10', model: 'X1', timezone: 'Asia/Tokyo' },
      });
      const stored = await harness.prisma.otaTarget.findUniqueOrThrow({ where: { controllerId: id } });
      expect(stored.securityTokenHash).toBe(sha256(Buffer.from(token)));
      expect(stored.revisionKey).not.toBeNull();
      expect((await harness.call('DELETE', `/ota/v1/targets/${id}`, harness.adminToken)).status).toBe(204);
      expect((await harness.call('DELETE', `/ota/v1/targets/${id}`, harness.adminToken)).status).toBe(404);
      expect((await harness.call('PATCH', `/ota/v1/targets/${id}`, harness.adminToken, { enabled: true })).status).toBe(
        404,
      );
    });

    it.each([
      { case: 'a short token', patch: { securityToken: 'short' }, field: 'body.securityToken' },
      {
        case: 'an unknown time zone',
        patch: { attributes: { ...amr('x'), timezone: 'Mars/Olympus' } },
        field: 'body.attributes.timezone',
      },
      { case: 'an unknown key', patch: { extra: 1 }, field: 'body' },
      {
        case: 'a missing type',
        patch: { attributes: { ...amr('x'), type: undefined, timezone: null } },
        field: 'body.attributes.type',
      },
    ])('should refuse $case with 400 naming $field and store nothing', async ({ patch, field }) => {
      const id = uniqueId('bad');
      const answer = await harness.call('PUT', `/ota/v1/targets/${id}`, harness.adminToken, {
        accountId: maker,
        name: id,
        securityToken: newToken(),
        attributes: { ...amr(id), timezone: null },
        ...patch,
      });
      expect(answer.status).toBe(400);
      const issues = (answer.body['details'] as { issues: { path: string }[] }).issues.map((issue) => issue.path);
      expect(issues.some((path) => path.startsWith(field))).toBe(true);
      expect(await harness.prisma.otaTarget.count({ where: { controllerId: id } })).toBe(0);
    });

    it('should refuse accounts that are not platform admins', async () => {
      const answer = await harness.call('PUT', `/ota/v1/targets/${uniqueId('t')}`, makerToken, {
        accountId: maker,
        name: 'x',
        securityToken: newToken(),
        attributes: { ...amr('x'), timezone: null },
      });
      expect(answer.status).toBe(403);
      expect((await harness.call('DELETE', `/ota/v1/targets/x`, null)).status).toBe(401);
    });
  });

  describe('artifacts and distribution sets', () => {
    it('should stream a multi-MB upload to the store and record its sha1, md5 and sha256', async () => {
      const file = randomBytes(6 * 1024 * 1024 + 123);
      const software = await publishSoftware(harness, devToken, 'BigSoft', '1.0', file);
      const module = await harness.call('GET', `/ota/v1/software-modules/${software.moduleId}`, devToken);
      const { createHash } = await import('node:crypto');
      expect(module.body['artifacts']).toEqual([
        {
          id: expect.any(Number),
          filename: software.filename,
          size: file.length,
          hashes: {
            sha1: createHash('sha1').update(file).digest('hex'),
            md5: createHash('md5').update(file).digest('hex'),
            sha256: sha256(file),
          },
          createdAt: expect.any(String),
        },
      ]);
      const stored = join(harness.artifactsDir, sha256(file).slice(0, 2), sha256(file));
      expect(existsSync(stored)).toBe(true);
    });

    it('should answer 409 for a second file of the same name, 400 for a non-stream body, 404 for another account', async () => {
      const software = await publishSoftware(harness, devToken, 'DupSoft', '1.0');
      const path = `/ota/v1/software-modules/${software.moduleId}/artifacts?filename=${software.filename}`;
      expect((await harness.call('POST', path, devToken, randomBytes(100))).status).toBe(409);
      expect(
        (await harness.call('POST', path.replace(software.filename, 'x.bin'), devToken, { json: true })).status,
      ).toBe(400);
      expect(
        (await harness.call('POST', path.replace(software.filename, '..'), devToken, randomBytes(10))).status,
      ).toBe(400);
      expect(
        (await harness.call('POST', path.replace(software.filename, 'y.bin'), otherDevToken, randomBytes(10))).status,
      ).toBe(404);
      expect((await harness.call('GET', `/ota/v1/software-modules/${software.moduleId}`, otherDevToken)).status).toBe(
        404,
      );
      expect((await harness.call('GET', `/ota/v1/distribution-sets/${software.setId}`, otherDevToken)).status).toBe(
        404,
      );
      const module = await harness.call('GET', `/ota/v1/software-modules/${software.moduleId}`, devToken);
      expect((module.body['artifacts'] as unknown[]).length).toBe(1);
      const foreignSet = await harness.call('POST', '/ota/v1/distribution-sets', otherDevToken, {
        name: 'Steal',
        version: '1',
        modules: [software.moduleId],
      });
      expect(foreignSet.status).toBe(400);
      expect(foreignSet.body['code']).toBe('DISTRIBUTION_SET.UNKNOWN_MODULES');
    });
  });

  describe('policies', () => {
    it('should refuse a malformed expression with 400 giving the position and what was expected, creating nothing', async () => {
      const software = await publishSoftware(harness, devToken, 'SyntaxSoft', '1.0');
      const before = await harness.prisma.otaPolicy.count();
      const answer = await harness.call('POST', '/ota/v1/policies', devToken, {
        name: 'broken',
        targetExpression: 'type = "amr" AND revision >=',
        distributionSetId: software.setId,
      });
      expect(answer.status).toBe(400);
      expect(answer.body['code']).toBe('POLICY.INVALID_EXPRESSION');
      expect(answer.body['details']).toMatchObject({ position: expect.any(Number), expected: expect.any(String) });
      expect(await harness.prisma.otaPolicy.count()).toBe(before);
      const foreign = await harness.call('POST', '/ota/v1/policies', otherDevToken, {
        name: 'x',
        targetExpression: 'type = "amr"',
        distributionSetId: software.setId,
      });
      expect(foreign.status).toBe(404);
      expect((await harness.call('POST', '/ota/v1/policies', devToken, { name: 'x' })).status).toBe(400);
    });

    it('should match a device enrolled after the policy through device.provisioned, visible on its next poll', async () => {
      const model = uniqueId('Z');
      const software = await publishSoftware(harness, devToken, 'NavSoft', '3.0');
      const policy = await createPolicy(harness, devToken, {
        targetExpression: `type = "amr" AND model = "${model}" AND revision >= "r3"`,
        distributionSetId: software.setId,
      });
      expect(policy.matched).toBe(0);
      // Provisioning registers the target (token), then its event announces the device.
      const device = await enrollTarget(harness, developer, { attributes: amr('s-1', { model }) });
      const started = Date.now();
      await harness.publish([
        {
          type: 'device.provisioned',
          payload: {
            deviceId: device.controllerId,
            accountId: developer,
            scenario: 'factory',
            state: 'FACTORY_PROVISIONED',
            attributes: amr('s-1', { model }),
          },
          accountId: developer,
          deviceId: device.controllerId,
        },
      ]);
      const link = await waitFor(() => device.deploymentLink(), 5000, 20);
      const elapsed = Date.now() - started;
      console.info(`[ota-forge ${driver}] enrollment event → deployment visible on poll: ${elapsed} ms`);
      expect(link).toContain(`/deploymentBase/`);
      // r2 is below r3 in natural order; r10 above it.
      const old = await enrollTarget(harness, developer, { attributes: amr('s-2', { model, revision: 'r2' }) });
      const newer = await enrollTarget(harness, developer, { attributes: amr('s-3', { model, revision: 'r10' }) });
      expect(await old.deploymentLink()).toBeNull();
      expect(await newer.deploymentLink()).not.toBeNull();
    });

    it('should bulk-match targets already there with a constant number of queries (one statement), batched', async () => {
      const model = uniqueId('B');
      const small = Array.from({ length: 5 }, (_, i) => `${model}-a${i}`);
      const large = Array.from({ length: 60 }, (_, i) => `${model}-b${String(i).padStart(2, '0')}`);
      for (const id of [...small, ...large]) {
        // By list, not by name: the model itself may contain "-a" (a random hex suffix).
        const rev = small.includes(id) ? 'r5' : 'r7';
        await enrollTarget(harness, developer, { id, attributes: amr(id, { model, revision: rev }) });
      }
      const software = await publishSoftware(harness, devToken, 'BulkSoft', '1.0');
      const counts: number[] = [];
      for (const revision of ['r5', 'r7']) {
        const policy = await createPolicy(harness, devToken, {
          targetExpression: `model = "${model}" AND revision = "${revision}"`,
          distributionSetId: software.setId,
          // Paused: created without matching, so the measured run below does the matching.
        }).then(async (created) => {
          await harness.prisma.otaAction.deleteMany({ where: { policyId: created.id } });
          return created;
        });
        const matched = await harness.prisma.$transaction(async (tx) => {
          const counting = countingTx(tx);
          const created = await harness.app.get(MatchPolicyUseCase).execute(counting.tx, policy.id);
          counts.push(counting.count());
          return created;
        });
        expect(matched).toBe(revision === 'r5' ? small.length : large.length);
        // Announced in the same statement, each event exactly as the contract reads it.
        const actions = await harness.prisma.otaAction.findMany({ where: { policyId: policy.id } });
        const actionIds = new Set(actions.map((action) => String(action.id)));
        // (The policy's creation announced the actions deleted above: only these actions' count.)
        const events = (
          await harness.prisma.outboxEvent.findMany({
            where: { type: 'ota.action.created', deviceId: { in: actions.map((action) => action.targetId) } },
          })
        ).filter((event) => actionIds.has(String((event.payload as { actionId?: unknown }).actionId)));
        expect(events).toHaveLength(actions.length);
        for (const event of events) {
          const payload = eventCatalog['ota.action.created'].payload.parse(event.payload);
          const action = actions.find((candidate) => String(candidate.id) === payload.actionId)!;
          expect([event.version, event.accountId, payload]).toEqual([
            eventCatalog['ota.action.created'].version,
            developer,
            {
              actionId: String(action.id),
              deviceId: action.targetId,
              distributionSetId: String(software.setId),
              policyId: policy.id,
              listingId: null,
              softwareVersion: '1.0',
            },
          ]);
        }
      }
      expect(counts[0]).toBe(counts[1]);
      expect(counts[0]).toBeLessThanOrEqual(6);
      // The match is one statement over the indexed columns.
      await harness.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
        const policy = (await harness.app.get(PoliciesRepository).activeForMatching(tx)).find((p) =>
          p.targetExpression.includes(model),
        )!;
        const plan = (await harness.app.get(MatchingRepository).explainMatching(tx, policy)).join('\n');
        expect(plan).toMatch(/Index|Bitmap/);
      });
    });
  });

  describe('DDI (hawkBit client, unchanged)', () => {
    let software: Software;
    let model: string;

    beforeAll(async () => {
      model = uniqueId('D');
      software = await publishSoftware(harness, devToken, 'FlowSoft', '2.1', randomBytes(300_000));
      await createPolicy(harness, devToken, {
        targetExpression: `model = "${model}"`,
        distributionSetId: software.setId,
        listingId: 'listing-flow',
      });
    });

    it('should run poll → deploymentBase → download (sha256) → feedback → installedBase, announcing each step', async () => {
      const device = await enrollTarget(harness, developer, { attributes: amr('f-1', { model }) });
      const root = await device.poll();
      expect(root.status).toBe(200);
      expect(root.body.config.polling.sleep).toBe('00:00:30');
      expect(Object.keys(root.body._links ?? {}).sort()).toEqual(['configData', 'deploymentBase']);
      const base = (await device.get<DeploymentBase>(root.body._links!['deploymentBase']!.href)).body;
      expect(base).toEqual({
        id: expect.stringMatching(/^\d+$/),
        deployment: {
          download: 'forced',
          update: 'forced',
          chunks: [
            {
              part: 'application',
              version: '2.1',
              name: 'FlowSoft',
              artifacts: [
                {
                  filename: software.filename,
                  size: software.file.length,
                  hashes: { sha1: expect.any(String), md5: expect.any(String), sha256: sha256(software.file) },
                  _links: {
                    download: { href: expect.stringContaining(`/softwaremodules/${software.moduleId}/artifacts/`) },
                    'download-http': { href: expect.any(String) },
                    md5sum: { href: expect.stringMatching(/\.MD5SUM$/) },
                    'md5sum-http': { href: expect.stringMatching(/\.MD5SUM$/) },
                  },
                },
              ],
            },
          ],
        },
      });
      const config = await harness.call(
        'PUT',
        `${device.root}/configData`,
        `TargetToken ${(device as unknown as { token: string }).token}`,
        {
          mode: 'merge',
          data: { hwRevision: '3', mac: '00:11' },
        },
      );
      expect(config.status).toBe(200);
      await device.install(base);
      const after = await device.poll();
      expect(after.body._links?.['deploymentBase']).toBeUndefined();
      expect(after.body._links?.['installedBase']?.href).toContain(`/installedBase/${base.id}`);
      const installed = await device.get<DeploymentBase>(
        `${after.body._links!['installedBase']!.href}?actionHistory=-1`,
      );
      expect(installed.status).toBe(200);
      expect(installed.body.actionHistory?.status).toBe('FINISHED');
      expect((await device.feedback(base.id, 'proceeding')).status).toBe(410);
      const events = await harness.statusEvents(device.controllerId);
      expect(events.map((event) => event.status)).toEqual(['downloading', 'downloaded', 'installed']);
      expect(events.every((event) => event.listingId === 'listing-flow' && event.softwareVersion === '2.1')).toBe(true);
      const target = await harness.prisma.otaTarget.findUniqueOrThrow({
        where: { controllerId: device.controllerId },
        include: { software: true },
      });
      expect(target.configData).toEqual({ hwRevision: '3', mac: '00:11' });
      expect(target.software).toMatchObject([{ softwareName: 'FlowSoft', version: '2.1' }]);
      // software_version is now a targeting attribute of this software.
      const next = await publishSoftware(harness, devToken, 'FlowSoft', '2.2');
      const upgrade = await createPolicy(harness, devToken, {
        targetExpression: `model = "${model}" AND software_version < "2.2"`,
        distributionSetId: next.setId,
      });
      expect(upgrade.matched).toBe(1);
    });

    it('should resume a cut download with Range, and answer 416, 412 and .MD5SUM as hawkBit does', async () => {
      const device = await enrollTarget(harness, developer, { attributes: amr('f-2', { model }) });
      const base = await device.deployment();
      const href = base.deployment.chunks[0]!.artifacts[0]!._links['download']!.href;
      const half = 123_457;
      const first = await device.get(href, { range: `bytes=0-${half - 1}` });
      expect(first.status).toBe(206);
      expect(first.headers.get('content-range')).toBe(`bytes 0-${half - 1}/${software.file.length}`);
      const rest = await device.get(href, { range: `bytes=${half}-` });
      expect(rest.status).toBe(206);
      expect(sha256(Buffer.concat([first.raw, rest.raw]))).toBe(sha256(software.file));
      expect(rest.headers.get('etag')).toMatch(/^"[0-9a-f]{40}"$/);
      expect((await device.get(href, { range: `bytes=${software.file.length}-` })).status).toBe(416);
      expect((await device.get(href, { 'if-match': '"nope"' })).status).toBe(412);
      const md5 = await device.get(`${href}.MD5SUM`);
      expect(md5.status).toBe(200);
      expect(md5.raw.toString()).toMatch(new RegExp(`^[0-9a-f]{32}  ${software.filename}$`));
    });

    it('should answer 401 for a wrong, revoked or foreign token, and 404 for another target’s action or artifact', async () => {
      const device = await enrollTarget(harness, developer, { attributes: amr('f-3', { model }) });
      const other = await enrollTarget(harness, developer, { attributes: amr('f-4', { model }) });
      const otherBase = await other.deployment();
      const otherHref = otherBase.deployment.chunks[0]!.artifacts[0]!._links['download']!.href;
      await device.deployment();
      const token = (device as unknown as { token: string }).token;
      const call = (path: string, auth: string | null) => harness.call('GET', path, auth);
      expect((await call(device.root, null)).status).toBe(401);
      expect((await call(device.root, `TargetToken ${newToken()}`)).status).toBe(401);
      expect((await call(device.root, `Bearer ${token}`)).status).toBe(401);
      expect((await call(other.root, `TargetToken ${token}`)).status).toBe(401);
      expect((await call(device.root.replace('/DEFAULT/', '/OTHER/'), `TargetToken ${token}`)).status).toBe(401);
      // Another target's action and artifact through this target's own path: not found.
      expect((await device.get(`${device.root}/deploymentBase/${otherBase.id}`)).status).toBe(404);
      expect((await device.feedback(otherBase.id, 'closed', 'success')).status).toBe(404);
      expect((await device.get(`${device.root}/softwaremodules/999999/artifacts/x.bin`)).status).toBe(404);
      const foreign = await publishSoftware(harness, devToken, 'Unassigned', '1.0');
      expect(
        (await device.get(`${device.root}/softwaremodules/${foreign.moduleId}/artifacts/${foreign.filename}`)).status,
      ).toBe(404);
      expect(
        (await device.get(new URL(otherHref).pathname.replace(other.controllerId, device.controllerId))).status,
      ).toBe(200);
      // Revoked: provisioning rotates the token.
      const fresh = newToken();
      await harness.call('PATCH', `/ota/v1/targets/${device.controllerId}`, harness.adminToken, {
        securityToken: fresh,
      });
      expect((await call(device.root, `TargetToken ${token}`)).status).toBe(401);
      expect((await call(device.root, `TargetToken ${fresh}`)).status).toBe(200);
      await harness.call('PATCH', `/ota/v1/targets/${device.controllerId}`, harness.adminToken, { enabled: false });
      expect((await call(device.root, `TargetToken ${fresh}`)).status).toBe(401);
      // Bad feedback changes nothing.
      const bad = await other.feedback(otherBase.id, 'exploded', 'none');
      expect(bad.status).toBe(400);
      expect((await harness.prisma.otaAction.findUniqueOrThrow({ where: { id: BigInt(otherBase.id) } })).status).toBe(
        'retrieved',
      );
    });

    it('should retry a failed install per the retry policy, then stop', async () => {
      const retryModel = uniqueId('R');
      const retrySoftware = await publishSoftware(harness, devToken, 'RetrySoft', '1.0');
      await createPolicy(harness, devToken, {
        targetExpression: `model = "${retryModel}"`,
        distributionSetId: retrySoftware.setId,
        retry: { maxAttempts: 2, backoffSeconds: 0 },
      });
      const device = await enrollTarget(harness, developer, { attributes: amr('r-1', { model: retryModel }) });
      const first = await device.deployment();
      expect((await device.feedback(first.id, 'closed', 'failure', { details: ['flash write error'] })).status).toBe(
        200,
      );
      const second = await device.deployment();
      expect(second.id).not.toBe(first.id);
      await device.feedback(second.id, 'closed', 'failure');
      expect(await device.deploymentLink()).toBeNull();
      const events = await harness.statusEvents(device.controllerId);
      expect(events.map((event) => event.status)).toEqual(['failed', 'failed']);
      expect(events[0]!.details).toEqual(['flash write error']);
      const actions = await harness.call('GET', `/ota/v1/actions?deviceId=${device.controllerId}`, devToken);
      expect(
        (actions.body['items'] as { attempt: number; status: string }[]).map((a) => [a.attempt, a.status]),
      ).toEqual([
        [2, 'failed'],
        [1, 'failed'],
      ]);
    });

    it('should open waves on success and abort on errors', async () => {
      const waveModel = uniqueId('W');
      const ids = Array.from({ length: 5 }, (_, i) => `${waveModel}-${i}`);
      const devices = [];
      for (const id of ids)
        devices.push(await enrollTarget(harness, developer, { id, attributes: amr(id, { model: waveModel }) }));
      const waveSoftware = await publishSoftware(harness, devToken, 'WaveSoft', '1.0');
      const policy = await createPolicy(harness, devToken, {
        targetExpression: `model = "${waveModel}"`,
        distributionSetId: waveSoftware.setId,
        waves: { percentages: [40, 100], successThreshold: 100, errorThreshold: 50 },
      });
      expect(policy.matched).toBe(5);
      // Ranked by controller id: the first 2 of 5 (40 %) form wave 1.
      expect(await devices[2]!.deploymentLink()).toBeNull();
      const canary = [await devices[0]!.deployment(), await devices[1]!.deployment()];
      await devices[0]!.install(canary[0]!);
      expect(await devices[3]!.deploymentLink()).toBeNull();
      await devices[1]!.install(canary[1]!);
      expect(await devices[2]!.deploymentLink()).not.toBeNull();
      expect((await harness.call('GET', `/ota/v1/policies/${policy.id}`, devToken)).body['currentWave']).toBe(1);

      const abortModel = uniqueId('A');
      const abortDevices = [];
      for (let i = 0; i < 4; i++) {
        const id = `${abortModel}-${i}`;
        abortDevices.push(await enrollTarget(harness, developer, { id, attributes: amr(id, { model: abortModel }) }));
      }
      const aborting = await createPolicy(harness, devToken, {
        targetExpression: `model = "${abortModel}"`,
        distributionSetId: waveSoftware.setId,
        waves: { percentages: [50, 100], successThreshold: 100, errorThreshold: 50 },
      });
      const failing = await abortDevices[0]!.deployment();
      await abortDevices[0]!.feedback(failing.id, 'closed', 'failure');
      const state = await harness.call('GET', `/ota/v1/policies/${aborting.id}`, devToken);
      expect(state.body['status']).toBe('aborted');
      expect(await abortDevices[2]!.deploymentLink()).toBeNull();
      // Wave 1's other target (not delivered yet) and all of wave 2.
      expect(await harness.prisma.otaAction.count({ where: { policyId: aborting.id, status: 'canceled' } })).toBe(3);
    });

    it('should hand out at most maxConcurrent installs at once', async () => {
      const cModel = uniqueId('C');
      const devices = [];
      for (let i = 0; i < 3; i++) {
        devices.push(await enrollTarget(harness, developer, { attributes: amr(`c-${i}`, { model: cModel }) }));
      }
      const cSoftware = await publishSoftware(harness, devToken, 'ConcSoft', '1.0');
      await createPolicy(harness, devToken, {
        targetExpression: `model = "${cModel}"`,
        distributionSetId: cSoftware.setId,
        constraints: { maxConcurrent: 1 },
      });
      const links = await Promise.all(devices.map((device) => device.deploymentLink()));
      expect(links.filter((link) => link !== null)).toHaveLength(1);
      const winner = devices[links.findIndex((link) => link !== null)]!;
      const waiting = (await devices[links.findIndex((link) => link === null)]!.poll()).body;
      expect(waiting.config.polling.sleep).toBe('00:02:00');
      await winner.install(await winner.deployment());
      const next = await Promise.all(devices.filter((d) => d !== winner).map((device) => device.deploymentLink()));
      expect(next.filter((link) => link !== null)).toHaveLength(1);
    });

    it('should defer while the battery is low (MQTT telemetry), the device executes a task, or outside the window', async () => {
      const bModel = uniqueId('M');
      const bSoftware = await publishSoftware(harness, devToken, 'BatterySoft', '1.0');
      await createPolicy(harness, devToken, {
        targetExpression: `model = "${bModel}"`,
        distributionSetId: bSoftware.setId,
        constraints: { minBattery: 50, notExecutingTask: true },
      });
      const device = await enrollTarget(harness, developer, { attributes: amr('b-1', { model: bModel }) });
      const { accessToken } = await harness.registry.registerDevice({
        deviceId: device.controllerId,
        accountId: developer,
        name: device.controllerId,
        profile: 'amr',
        attributes: {},
      });
      const telemetry = async (values: Record<string, unknown>) => {
        await publishOnce(harness.mqtt, accessToken, 'v1/devices/me/telemetry', values);
        await waitFor(async () => {
          const latest = await harness.registry.getLatestTelemetry(device.controllerId);
          return Object.entries(values).every(([key, value]) => latest[key]?.value === value);
        });
      };
      expect(await device.deploymentLink()).toBeNull(); // battery never reported
      await telemetry({ battery: 20, task: 'idle' });
      expect(await device.deploymentLink()).toBeNull();
      const actions = await harness.call('GET', `/ota/v1/actions?deviceId=${device.controllerId}`, devToken);
      expect((actions.body['items'] as { deferredReason: string }[])[0]!.deferredReason).toBe('battery_low');
      await telemetry({ battery: 85, task: 'executing' });
      expect(await device.deploymentLink()).toBeNull();
      await telemetry({ task: 'idle' });
      expect(await device.deploymentLink()).not.toBeNull();

      // A window that is closed now (in the device's time zone), then one that is open.
      const wModel = uniqueId('N');
      const hour = new Date().getUTCHours();
      const at = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
      const windowed = await createPolicy(harness, devToken, {
        targetExpression: `model = "${wModel}"`,
        distributionSetId: bSoftware.setId,
        constraints: { maintenanceWindow: { start: at(hour + 2), end: at(hour + 4) } },
      });
      const night = await enrollTarget(harness, developer, {
        attributes: amr('n-1', { model: wModel }),
        timezone: 'UTC',
      });
      const closed = await night.poll();
      expect(closed.body._links?.['deploymentBase']).toBeUndefined();
      // Sleeps until the window opens (≤ 2 h away), capped by the deferred-poll sleep.
      expect(closed.body.config.polling.sleep).toBe('00:02:00');
      const patched = await harness.call('PATCH', `/ota/v1/policies/${windowed.id}`, devToken, {
        constraints: { maintenanceWindow: { start: at(hour - 1), end: at(hour + 1) } },
      });
      expect(patched.status).toBe(200);
      const open = await night.deployment();
      expect(open.deployment.maintenanceWindow).toBe('available');
    });

    it('should report aggregates to the listing developer only, and actions to the device owner only', async () => {
      const report = await harness.call('GET', '/ota/v1/reports/software?listingId=listing-flow', devToken);
      expect(report.status).toBe(200);
      expect(report.body).toEqual({
        listingId: 'listing-flow',
        version: null,
        matched: expect.any(Number),
        downloading: expect.any(Number),
        installed: 1,
        failed: 0,
        trend: [{ day: new Date().toISOString().slice(0, 10), installed: 1, failed: 0 }],
      });
      expect(Number(report.body['matched'])).toBeGreaterThanOrEqual(4);
      expect(JSON.stringify(report.body)).not.toContain('amr-x1');
      const versioned = await harness.call(
        'GET',
        '/ota/v1/reports/software?listingId=listing-flow&version=9.9',
        devToken,
      );
      expect(versioned.body).toMatchObject({ version: '9.9', matched: 0, installed: 0 });
      expect((await harness.call('GET', '/ota/v1/reports/software?listingId=listing-flow', otherDevToken)).status).toBe(
        404,
      );
      expect((await harness.call('GET', '/ota/v1/reports/software', devToken)).status).toBe(400);
      const device = await enrollTarget(harness, maker, { attributes: amr('o-1') });
      expect((await harness.call('GET', `/ota/v1/actions?deviceId=${device.controllerId}`, makerToken)).status).toBe(
        200,
      );
      expect((await harness.call('GET', `/ota/v1/actions?deviceId=${device.controllerId}`, devToken)).status).toBe(404);
    });

    it('should answer a poll with one indexed lookup in well under a millisecond budget per poll', async () => {
      const device = await enrollTarget(harness, developer, { attributes: amr('l-1', { model }) });
      await device.poll();
      const samples: number[] = [];
      for (let i = 0; i < 200; i++) {
        const started = process.hrtime.bigint();
        const answer = await device.poll();
        samples.push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(answer.status).toBe(200);
      }
      samples.sort((a, b) => a - b);
      const p50 = samples[100]!;
      const p95 = samples[190]!;
      console.info(
        `[ota-forge ${driver}] DDI poll over HTTP: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (200 polls)`,
      );
      expect(p95).toBeLessThan(250);
    });
  });
});
