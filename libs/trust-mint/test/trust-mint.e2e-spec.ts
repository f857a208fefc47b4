import { randomUUID } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import { PrismaService } from '@flexgalaxy/db';
import {
  DRIVERS,
  openTestDatabase,
  startServiceHarness,
  waitFor,
  WebhookReceiver,
  type ServiceHarness,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { TrustMintModule } from '@flexgalaxy/trust-mint';
import {
  ADMIN_OF_ACCOUNT,
  chainsToPublishedCa,
  DEVICE_CONSUMER,
  LISTING_CONSUMER,
  listingPublished,
  provisioned,
  testConfig,
  verifyLicenseToken,
  withoutRequestId,
  type LicenseBody,
  type PageBody,
} from './trust-mint.fixtures.js';

interface UpgradeBody {
  id: string;
  licenseId: string;
  status: string;
  route: string;
  reason: string | null;
  issuedLicenseId: string | null;
  decidedBy: string | null;
}

const DAY_MS = 86_400_000;

describe.each(DRIVERS)('TrustMint over HTTP on %s (seed 001; seed 000 §4)', (driver) => {
  let db: TestDatabase;
  let harness: ServiceHarness;
  const robomake = `robomake-${randomUUID().slice(0, 8)}`;
  const white = `white-${randomUUID().slice(0, 8)}`;
  const stranger = `stranger-${randomUUID().slice(0, 8)}`;
  const syrius = `syrius-${randomUUID().slice(0, 8)}`;
  const tokens: Record<string, string> = {};
  const partner = new WebhookReceiver();

  async function trialOf(deviceId: string, token: string): Promise<LicenseBody> {
    const page = await harness.call<PageBody<LicenseBody>>(
      'GET',
      `/entitlements/v1/licenses?deviceId=${deviceId}&type=TRIAL`,
      token,
    );
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    const full = await harness.call<LicenseBody>('GET', `/entitlements/v1/licenses/${page.body.items[0]!.id}`, token);
    return full.body;
  }

  async function enroll(deviceId: string, accountId: string): Promise<void> {
    await harness.publish([provisioned(deviceId, accountId)], [DEVICE_CONSUMER]);
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    await partner.start();
    harness = await startServiceHarness(db, { imports: [TrustMintModule.forRoot(testConfig())] });
    tokens.robomake = await harness.clientToken(robomake, ADMIN_OF_ACCOUNT);
    tokens.white = await harness.clientToken(white, ADMIN_OF_ACCOUNT);
    tokens.stranger = await harness.clientToken(stranger, ADMIN_OF_ACCOUNT);
    tokens.syrius = await harness.clientToken(syrius, ['licenses.read']);
    // RoboMake makes devices; WHITE is both a maker and its own License Manager (seed 001).
    expect(
      (await harness.call('PUT', '/entitlements/v1/subscription', tokens.robomake, { roles: ['DEVICE_MANUFACTURER'] }))
        .status,
    ).toBe(200);
    expect(
      (
        await harness.call('PUT', '/entitlements/v1/subscription', tokens.white, {
          roles: ['DEVICE_MANUFACTURER', 'LICENSE_MANAGER'],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await harness.call('PUT', '/entitlements/v1/subscription', tokens.stranger, {
          roles: ['DEVICE_MANUFACTURER', 'LICENSE_MANAGER'],
        })
      ).status,
    ).toBe(200);
  });

  afterAll(async () => {
    await harness?.close();
    await partner.close();
    await db?.close();
  });

  describe('roles → permission boundaries', () => {
    it('should assign seed 001 boundaries per declared role, the union for both', async () => {
      const maker = await harness.call('GET', '/entitlements/v1/subscription', tokens.robomake!);
      expect(maker.body).toMatchObject({
        accountId: robomake,
        roles: ['DEVICE_MANUFACTURER'],
        permissions: ['certificates.read', 'devices.read', 'devices.write', 'events.read'],
        overridden: false,
      });
      const both = await harness.call('GET', '/entitlements/v1/subscription', tokens.white!);
      expect(both.body['permissions']).toEqual([
        'approvals.read',
        'approvals.write',
        'certificates.read',
        'devices.read',
        'devices.write',
        'events.read',
        'licenses.read',
      ]);
    });

    it('should refuse to subscribe with a token lacking trust-mint.subscribe, and unknown roles with 400', async () => {
      const member = await harness.clientToken(`member-${randomUUID().slice(0, 6)}`, ['devices.read']);
      const refused = await harness.call('PUT', '/entitlements/v1/subscription', member, {
        roles: ['DEVICE_MANUFACTURER'],
      });
      expect(refused.status).toBe(403);
      const bad = await harness.call('PUT', '/entitlements/v1/subscription', tokens.robomake!, { roles: ['OVERLORD'] });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('roles');
      expect((await harness.call('GET', '/entitlements/v1/subscription', tokens.robomake!)).body['roles']).toEqual([
        'DEVICE_MANUFACTURER',
      ]);
    });

    it('should answer an account that never subscribed with 403 TRUST_MINT.NOT_SUBSCRIBED', async () => {
      const outsider = await harness.clientToken(`outsider-${randomUUID().slice(0, 6)}`, ADMIN_OF_ACCOUNT);
      const answer = await harness.call('GET', '/entitlements/v1/licenses', outsider);
      expect(answer.status).toBe(403);
      expect(answer.body['code']).toBe('TRUST_MINT.NOT_SUBSCRIBED');
    });

    it('should check boundary ∩ token: outside the boundary, or outside the token, is 403', async () => {
      // A Device Manufacturer's boundary lacks approvals.write, whatever its token says.
      const decision = await harness.call(
        'POST',
        `/entitlements/v1/upgrade-requests/${randomUUID()}/decision`,
        tokens.robomake!,
        {
          decision: 'APPROVE',
        },
      );
      expect(decision.status).toBe(403);
      expect(decision.body['code']).toBe('AUTH.FORBIDDEN');
      // Within the boundary but not in the token.
      const narrow = await harness.clientToken(robomake, ['events.read']);
      expect((await harness.call('GET', '/entitlements/v1/devices', narrow)).status).toBe(403);
      expect((await harness.call('GET', '/entitlements/v1/webhooks/subscribers', narrow)).status).toBe(200);
    });

    it("should let a platform admin override a boundary by hand, and restore the roles' one", async () => {
      const override = await harness.call(
        'PUT',
        `/entitlements/v1/subscriptions/${robomake}/boundary`,
        harness.adminToken,
        {
          permissions: ['devices.read'],
        },
      );
      expect(override.body).toMatchObject({ permissions: ['devices.read'], overridden: true });
      expect((await harness.call('GET', '/entitlements/v1/webhooks/subscribers', tokens.robomake!)).status).toBe(403);
      // Re-declaring roles keeps an override.
      await harness.call('PUT', '/entitlements/v1/subscription', tokens.robomake, { roles: ['DEVICE_MANUFACTURER'] });
      expect(
        (await harness.call('GET', '/entitlements/v1/subscription', tokens.robomake!)).body['permissions'],
      ).toEqual(['devices.read']);
      const restored = await harness.call(
        'PUT',
        `/entitlements/v1/subscriptions/${robomake}/boundary`,
        harness.adminToken,
        {
          permissions: null,
        },
      );
      expect(restored.body).toMatchObject({
        permissions: ['certificates.read', 'devices.read', 'devices.write', 'events.read'],
        overridden: false,
      });
      const notAdmin = await harness.call('PUT', `/entitlements/v1/subscriptions/${robomake}/boundary`, tokens.white!, {
        permissions: null,
      });
      expect(notAdmin.status).toBe(403);
      const unknown = await harness.call(
        'PUT',
        `/entitlements/v1/subscriptions/${robomake}/boundary`,
        harness.adminToken,
        {
          permissions: ['everything'],
        },
      );
      expect(unknown.status).toBe(400);
    });
  });

  describe('TRIAL on enrollment (seed 001 "Enrollment flow")', () => {
    const deviceId = `amr-x1-${randomUUID().slice(0, 8)}`;
    let trial: LicenseBody;

    beforeAll(async () => {
      await enroll(deviceId, robomake);
      trial = await trialOf(deviceId, tokens.robomake!);
    });

    it('should issue a TRIAL naming device, account and software, expiring after the configured 30 days', () => {
      expect(trial).toMatchObject({
        type: 'TRIAL',
        status: 'ACTIVE',
        validity: 'valid',
        accountId: robomake,
        deviceId,
        softwareId: 'flexgalaxy.device',
        trigger: 'enrollment',
      });
      const lifetime = new Date(trial.expiresAt!).getTime() - Date.now();
      expect(lifetime).toBeGreaterThan(29.9 * DAY_MS);
      expect(lifetime).toBeLessThanOrEqual(30 * DAY_MS);
    });

    it('should sign the certificate with the published license CA (ECDSA P-256)', async () => {
      expect(await chainsToPublishedCa(harness, trial.certificatePem)).toBe(true);
      const certificate = new X509Certificate(trial.certificatePem);
      expect(certificate.subjectAltName).toContain(`URI:urn:flexgalaxy:device:${deviceId}`);
      expect(certificate.subjectAltName).toContain(`URI:urn:flexgalaxy:account:${robomake}`);
      expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(certificate.serialNumber).toBe(trial.serialNumber);
      expect(new Date(certificate.validTo).getTime()).toBeCloseTo(new Date(trial.expiresAt!).getTime(), -4);
    });

    it('should sign the JWT (ES256) with a key of the published JWKS, naming device, account, software and expiry', async () => {
      const claims = await verifyLicenseToken(harness, trial.token);
      expect(claims).toMatchObject({
        device_id: deviceId,
        account_id: robomake,
        software_id: 'flexgalaxy.device',
        license_type: 'TRIAL',
        jti: trial.id,
        exp: Math.floor(new Date(trial.expiresAt!).getTime() / 1000),
      });
      // Tampering breaks the signature.
      const [header, payload, signature] = trial.token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims, license_type: 'OFFICIAL' })).toString('base64url');
      expect(await verifyLicenseToken(harness, `${header}.${forged}.${signature}`)).toBeNull();
      expect(payload).toBeTruthy();
    });

    it('should record the issuance in the ledger and issue nothing more on a replayed event', async () => {
      await enroll(deviceId, robomake);
      const page = await harness.call<PageBody<LicenseBody>>(
        'GET',
        `/entitlements/v1/licenses?deviceId=${deviceId}`,
        tokens.robomake!,
      );
      expect(page.body.items).toHaveLength(1);
      const history = await harness.call<{ items: { operation: string; actor: string }[] }>(
        'GET',
        `/entitlements/v1/licenses/${trial.id}/history`,
        tokens.robomake!,
      );
      expect(history.body.items).toEqual([
        expect.objectContaining({ operation: 'ISSUED', actor: 'system:enrollment' }),
      ]);
    });

    it("should show the device in the maker's device list, and no one else's", async () => {
      const own = await harness.call<PageBody<{ id: string }>>('GET', '/entitlements/v1/devices', tokens.robomake!);
      expect(own.body.items.map((device) => device.id)).toContain(deviceId);
      expect((await harness.call('GET', `/entitlements/v1/devices/${deviceId}`, tokens.white!)).status).toBe(404);
    });

    it('should answer another account reading the license exactly as for a missing one (404)', async () => {
      const foreign = await harness.call('GET', `/entitlements/v1/licenses/${trial.id}`, tokens.stranger!);
      const missing = await harness.call('GET', `/entitlements/v1/licenses/${randomUUID()}`, tokens.stranger!);
      expect(foreign.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(withoutRequestId(foreign.body)['code']).toBe('LICENSE.NOT_FOUND');
      expect(Object.keys(withoutRequestId(foreign.body))).toEqual(Object.keys(withoutRequestId(missing.body)));
      const list = await harness.call<PageBody<LicenseBody>>(
        'GET',
        `/entitlements/v1/licenses?deviceId=${deviceId}`,
        tokens.stranger!,
      );
      expect(list.body.items).toEqual([]);
      // An account's accountId filter cannot reach another account.
      const widened = await harness.call<PageBody<LicenseBody>>(
        'GET',
        `/entitlements/v1/licenses?accountId=${robomake}`,
        tokens.stranger!,
      );
      expect(widened.body.items.every((license) => license.accountId === stranger)).toBe(true);
    });
  });

  describe('TRIAL → OFFICIAL with a License Manager subscribed (seed 001 delegation)', () => {
    const deviceId = `white-amr-${randomUUID().slice(0, 8)}`;
    let trial: LicenseBody;
    let request: UpgradeBody;

    beforeAll(async () => {
      const created = await harness.call<{ secret: string }>(
        'POST',
        '/entitlements/v1/webhooks/subscribers',
        tokens.white!,
        {
          url: partner.url,
          eventTypes: ['license_upgrade.requested', 'license_upgrade.decided'],
          description: "WHITE's approval app",
        },
      );
      expect(created.status).toBe(201);
      partner.secret = created.body.secret;
      await enroll(deviceId, white);
      trial = await trialOf(deviceId, tokens.white!);
      const answer = await harness.call<UpgradeBody>('POST', '/entitlements/v1/upgrade-requests', tokens.white!, {
        licenseId: trial.id,
        note: 'customer paid',
      });
      expect(answer.status).toBe(201);
      request = answer.body;
    });

    it('should leave the request PENDING and deliver license_upgrade.requested, signed, to the partner', async () => {
      expect(request).toMatchObject({ status: 'PENDING', route: 'WEBHOOK', licenseId: trial.id });
      await waitFor(() => partner.verified('license_upgrade.requested').length > 0, 10_000);
      const [message] = partner.verified('license_upgrade.requested');
      expect(message!.body['data']).toMatchObject({
        requestId: request.id,
        licenseId: trial.id,
        deviceId,
        decisionPath: `/entitlements/v1/upgrade-requests/${request.id}/decision`,
      });
    });

    it('should answer a repeated request with the pending one (200)', async () => {
      const again = await harness.call<UpgradeBody>('POST', '/entitlements/v1/upgrade-requests', tokens.white!, {
        licenseId: trial.id,
      });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(request.id);
    });

    it('should not let another account decide (404) nor a refusal without reason (400)', async () => {
      const foreign = await harness.call(
        'POST',
        `/entitlements/v1/upgrade-requests/${request.id}/decision`,
        tokens.stranger!,
        {
          decision: 'APPROVE',
        },
      );
      expect(foreign.status).toBe(404);
      const noReason = await harness.call(
        'POST',
        `/entitlements/v1/upgrade-requests/${request.id}/decision`,
        tokens.white!,
        {
          decision: 'REFUSE',
        },
      );
      expect(noReason.status).toBe(400);
      expect(JSON.stringify(noReason.body)).toContain('reason');
      expect(
        (await harness.call<UpgradeBody>('GET', `/entitlements/v1/upgrade-requests/${request.id}`, tokens.white!)).body
          .status,
      ).toBe('PENDING');
    });

    it('should issue certificate + JWT on APPROVE, supersede the TRIAL, and apply a repeat once (200) and a conflict not (409)', async () => {
      const decided = await harness.call<UpgradeBody>(
        'POST',
        `/entitlements/v1/upgrade-requests/${request.id}/decision`,
        tokens.white!,
        {
          decision: 'APPROVE',
          reason: 'paid',
        },
      );
      expect(decided.status).toBe(200);
      expect(decided.body).toMatchObject({ status: 'APPROVED', reason: 'paid' });
      const official = await harness.call<LicenseBody>(
        'GET',
        `/entitlements/v1/licenses/${decided.body.issuedLicenseId}`,
        tokens.white!,
      );
      expect(official.body).toMatchObject({
        type: 'OFFICIAL',
        status: 'ACTIVE',
        deviceId,
        trigger: 'upgrade',
        expiresAt: null,
      });
      expect(await chainsToPublishedCa(harness, official.body.certificatePem)).toBe(true);
      expect(await verifyLicenseToken(harness, official.body.token)).toMatchObject({
        license_type: 'OFFICIAL',
        device_id: deviceId,
      });
      const superseded = await harness.call<LicenseBody>('GET', `/entitlements/v1/licenses/${trial.id}`, tokens.white!);
      expect(superseded.body).toMatchObject({ status: 'SUPERSEDED', supersededById: official.body.id });

      const repeat = await harness.call<UpgradeBody>(
        'POST',
        `/entitlements/v1/upgrade-requests/${request.id}/decision`,
        tokens.white!,
        {
          decision: 'APPROVE',
          reason: 'paid',
        },
      );
      expect(repeat.status).toBe(200);
      expect(repeat.body.issuedLicenseId).toBe(official.body.id);
      const conflict = await harness.call(
        'POST',
        `/entitlements/v1/upgrade-requests/${request.id}/decision`,
        tokens.white!,
        {
          decision: 'REFUSE',
          reason: 'changed my mind',
        },
      );
      expect(conflict.status).toBe(409);
      expect(conflict.body['code']).toBe('UPGRADE.ALREADY_DECIDED');
      const officials = await harness.call<PageBody<LicenseBody>>(
        'GET',
        `/entitlements/v1/licenses?deviceId=${deviceId}&type=OFFICIAL`,
        tokens.white!,
      );
      expect(officials.body.items).toHaveLength(1);
      await waitFor(() => partner.verified('license_upgrade.decided').length === 1, 10_000);
    });

    it('should refuse to upgrade a license that is not an active TRIAL (409)', async () => {
      const again = await harness.call('POST', '/entitlements/v1/upgrade-requests', tokens.white!, {
        licenseId: trial.id,
      });
      expect(again.status).toBe(409);
      expect(again.body['code']).toBe('UPGRADE.LICENSE_NOT_UPGRADABLE');
    });

    it('should decide concurrent identical callbacks once', async () => {
      const device = `white-race-${randomUUID().slice(0, 8)}`;
      await enroll(device, white);
      const license = await trialOf(device, tokens.white!);
      const pending = await harness.call<UpgradeBody>('POST', '/entitlements/v1/upgrade-requests', tokens.white!, {
        licenseId: license.id,
      });
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          harness.call<UpgradeBody>(
            'POST',
            `/entitlements/v1/upgrade-requests/${pending.body.id}/decision`,
            tokens.white!,
            {
              decision: 'APPROVE',
            },
          ),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      expect(new Set(answers.map((answer) => answer.body.issuedLicenseId)).size).toBe(1);
      const officials = await harness.call<PageBody<LicenseBody>>(
        'GET',
        `/entitlements/v1/licenses?deviceId=${device}&type=OFFICIAL`,
        tokens.white!,
      );
      expect(officials.body.items).toHaveLength(1);
    });
  });

  describe('TRIAL → OFFICIAL without a subscriber: BoardingPass review', () => {
    const deviceIds = [`queue-a-${randomUUID().slice(0, 6)}`, `queue-b-${randomUUID().slice(0, 6)}`];
    const requests: UpgradeBody[] = [];

    beforeAll(async () => {
      for (const deviceId of deviceIds) {
        await enroll(deviceId, robomake);
        const trial = await trialOf(deviceId, tokens.robomake!);
        const answer = await harness.call<UpgradeBody>('POST', '/entitlements/v1/upgrade-requests', tokens.robomake!, {
          licenseId: trial.id,
        });
        requests.push(answer.body);
      }
    });

    it('should queue the request for platform admins (the TRIAL software is not auto-approved by triage)', async () => {
      expect(requests.map((request) => [request.status, request.route])).toEqual([
        ['PENDING', 'ADMIN_REVIEW'],
        ['PENDING', 'ADMIN_REVIEW'],
      ]);
      const queue = await harness.call<PageBody<UpgradeBody>>(
        'GET',
        '/entitlements/v1/boardingpass/upgrade-requests?status=PENDING&route=ADMIN_REVIEW&limit=200',
        harness.adminToken,
      );
      expect(queue.body.items.map((request) => request.id)).toEqual(
        expect.arrayContaining(requests.map((request) => request.id)),
      );
      expect((await harness.call('GET', '/entitlements/v1/boardingpass/upgrade-requests', tokens.white!)).status).toBe(
        403,
      );
    });

    it('should issue on approve and mark refused on refuse', async () => {
      const approved = await harness.call<UpgradeBody>(
        'POST',
        `/entitlements/v1/boardingpass/upgrade-requests/${requests[0]!.id}/approve`,
        harness.adminToken,
        {},
      );
      expect(approved.body).toMatchObject({ status: 'APPROVED', decidedBy: 'platform-admin' });
      expect(approved.body.issuedLicenseId).toEqual(expect.any(String));
      const refused = await harness.call<UpgradeBody>(
        'POST',
        `/entitlements/v1/boardingpass/upgrade-requests/${requests[1]!.id}/refuse`,
        harness.adminToken,
        { reason: 'no contract on file' },
      );
      expect(refused.body).toMatchObject({ status: 'REFUSED', reason: 'no contract on file', issuedLicenseId: null });
      const trial = await trialOf(deviceIds[1]!, tokens.robomake!);
      expect(trial.status).toBe('ACTIVE');
    });
  });

  describe('revocation and the device-facing status check', () => {
    const deviceId = `status-${randomUUID().slice(0, 8)}`;
    let trial: LicenseBody;
    let deviceToken: string;

    beforeAll(async () => {
      await enroll(deviceId, robomake);
      trial = await trialOf(deviceId, tokens.robomake!);
      // The device's M2M client is named after the device (provisioning's convention).
      deviceToken = await harness.clientToken(robomake, [], deviceId);
    });

    it('should answer valid to the device itself and to its account; 404 to another device or account', async () => {
      const own = await harness.call('GET', `/entitlements/v1/licenses/${trial.id}/status`, deviceToken);
      expect(own.body).toMatchObject({ licenseId: trial.id, status: 'valid', type: 'TRIAL' });
      const byDevice = await harness.call(
        'GET',
        `/entitlements/v1/devices/${deviceId}/license-status?softwareId=flexgalaxy.device`,
        deviceToken,
      );
      expect(byDevice.body).toMatchObject({ licenseId: trial.id, status: 'valid' });
      expect(
        (await harness.call('GET', `/entitlements/v1/licenses/${trial.id}/status`, tokens.robomake!)).body['status'],
      ).toBe('valid');
      const otherDevice = await harness.clientToken(robomake, [], `other-${deviceId}`);
      expect((await harness.call('GET', `/entitlements/v1/licenses/${trial.id}/status`, otherDevice)).status).toBe(404);
      expect((await harness.call('GET', `/entitlements/v1/licenses/${trial.id}/status`, tokens.stranger!)).status).toBe(
        404,
      );
      const missingQuery = await harness.call(
        'GET',
        `/entitlements/v1/devices/${deviceId}/license-status`,
        deviceToken,
      );
      expect(missingQuery.status).toBe(400);
    });

    it('should answer expired once the expiry passed', async () => {
      const prisma = harness.app.get(PrismaService);
      const device = `expiring-${randomUUID().slice(0, 8)}`;
      await enroll(device, robomake);
      const license = await trialOf(device, tokens.robomake!);
      await prisma.trustMintLicense.update({
        where: { id: license.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const status = await harness.call('GET', `/entitlements/v1/licenses/${license.id}/status`, tokens.robomake!);
      expect(status.body['status']).toBe('expired');
    });

    it('should let only platform admins revoke; then answer revoked, and revoking again changes nothing', async () => {
      expect(
        (await harness.call('POST', `/entitlements/v1/licenses/${trial.id}/revoke`, tokens.robomake!, { reason: 'x' }))
          .status,
      ).toBe(403);
      const noReason = await harness.call(
        'POST',
        `/entitlements/v1/licenses/${trial.id}/revoke`,
        harness.adminToken,
        {},
      );
      expect(noReason.status).toBe(400);
      const revoked = await harness.call<LicenseBody>(
        'POST',
        `/entitlements/v1/licenses/${trial.id}/revoke`,
        harness.adminToken,
        {
          reason: 'chargeback',
        },
      );
      expect(revoked.body).toMatchObject({ status: 'REVOKED', validity: 'revoked' });
      const status = await harness.call('GET', `/entitlements/v1/licenses/${trial.id}/status`, deviceToken);
      expect(status.body).toMatchObject({ status: 'revoked', reason: 'chargeback' });
      await harness.call('POST', `/entitlements/v1/licenses/${trial.id}/revoke`, harness.adminToken, {
        reason: 'again',
      });
      const history = await harness.call<{ items: { operation: string }[] }>(
        'GET',
        `/entitlements/v1/licenses/${trial.id}/history`,
        tokens.white!,
      );
      expect(history.status).toBe(404);
      const own = await harness.call<{ items: { operation: string }[] }>(
        'GET',
        `/entitlements/v1/licenses/${trial.id}/history`,
        harness.adminToken,
      );
      expect(own.body.items.map((entry) => entry.operation)).toEqual(['ISSUED', 'REVOKED']);
    });

    it('should revoke by policy when the device is decommissioned', async () => {
      const device = `decom-${randomUUID().slice(0, 8)}`;
      await enroll(device, robomake);
      const license = await trialOf(device, tokens.robomake!);
      await harness.publish(
        [
          {
            type: 'device.decommissioned',
            accountId: robomake,
            deviceId: device,
            payload: { deviceId: device, reason: 'scrapped' },
          },
        ],
        [DEVICE_CONSUMER],
      );
      const status = await harness.call('GET', `/entitlements/v1/licenses/${license.id}/status`, tokens.robomake!);
      expect(status.body).toMatchObject({ status: 'revoked', reason: 'device decommissioned' });
    });

    it("should move a transferred device's licenses to the new owner", async () => {
      const device = `moving-${randomUUID().slice(0, 8)}`;
      await enroll(device, robomake);
      const license = await trialOf(device, tokens.robomake!);
      const event = provisioned(device, robomake).payload;
      await harness.publish(
        [
          {
            type: 'device.transferred',
            accountId: stranger,
            deviceId: device,
            payload: {
              deviceId: device,
              fromAccountId: robomake,
              toAccountId: stranger,
              state: 'FIELD_ACTIVE',
              attributes: event.attributes,
            },
          },
        ],
        [DEVICE_CONSUMER],
      );
      expect((await harness.call('GET', `/entitlements/v1/licenses/${license.id}`, tokens.robomake!)).status).toBe(404);
      expect(
        (await harness.call('GET', `/entitlements/v1/licenses/${license.id}`, tokens.stranger!)).body['accountId'],
      ).toBe(stranger);
    });
  });

  describe('reports, analytics and audit', () => {
    const listingId = randomUUID();

    beforeAll(async () => {
      await harness.publish([listingPublished(listingId, syrius, 'on_activation')], [LISTING_CONSUMER]);
      const device = `report-${randomUUID().slice(0, 8)}`;
      await enroll(device, robomake);
      const deviceToken = await harness.clientToken(robomake, [], device);
      expect(
        (await harness.call('POST', '/entitlements/v1/activations', deviceToken, { softwareId: listingId })).status,
      ).toBe(201);
    });

    it("should give a listing's developer and platform admins the software report, aggregates only", async () => {
      const report = await harness.call<Record<string, unknown>>(
        'GET',
        `/entitlements/v1/reports/licenses?softwareId=${listingId}`,
        tokens.syrius!,
      );
      expect(report.status).toBe(200);
      const today = new Date().toISOString().slice(0, 10);
      expect(report.body).toEqual({
        softwareId: listingId,
        active: 1,
        byType: { TRIAL: 0, OFFICIAL: 1 },
        trend: [{ day: today, issued: 1, revoked: 0 }],
      });
      expect(
        (await harness.call('GET', `/entitlements/v1/reports/licenses?softwareId=${listingId}`, harness.adminToken))
          .body,
      ).toEqual(report.body);
      expect(
        (await harness.call('GET', `/entitlements/v1/reports/licenses?softwareId=${listingId}`, tokens.robomake!))
          .status,
      ).toBe(404);
      expect((await harness.call('GET', '/entitlements/v1/reports/licenses', tokens.syrius!)).status).toBe(400);
    });

    it("should report an account's own licenses by software and type", async () => {
      const report = await harness.call<{
        accountId: string;
        byType: Record<string, number>;
        bySoftware: { softwareId: string }[];
      }>('GET', '/entitlements/v1/reports/account-licenses', tokens.robomake!);
      expect(report.body.accountId).toBe(robomake);
      expect(report.body.byType['TRIAL']).toBeGreaterThan(0);
      expect(report.body.bySoftware.map((entry) => entry.softwareId).sort()).toEqual(
        ['flexgalaxy.device', listingId].sort(),
      );
    });

    it('should give platform admins issuance by type and account, and enrollment statistics', async () => {
      const issuance = await harness.call<{
        byAccount: { accountId: string; TRIAL: number; OFFICIAL: number }[];
        trend: unknown[];
      }>('GET', '/entitlements/v1/boardingpass/analytics/issuance', harness.adminToken);
      expect(issuance.status).toBe(200);
      const maker = issuance.body.byAccount.find((entry) => entry.accountId === robomake);
      expect(maker?.TRIAL).toBeGreaterThanOrEqual(7);
      expect(maker?.OFFICIAL).toBeGreaterThanOrEqual(2);
      const enrollments = await harness.call<{
        enrolled: number;
        byAccount: { accountId: string; enrolled: number }[];
      }>('GET', '/entitlements/v1/boardingpass/analytics/enrollments', harness.adminToken);
      expect(enrollments.body.byAccount.find((entry) => entry.accountId === white)?.enrolled).toBe(2);
      expect(enrollments.body.enrolled).toBeGreaterThanOrEqual(10);
      expect(
        (await harness.call('GET', '/entitlements/v1/boardingpass/analytics/issuance', tokens.robomake!)).status,
      ).toBe(403);
      const backwards = await harness.call(
        'GET',
        '/entitlements/v1/boardingpass/analytics/issuance?from=2026-12-01&to=2026-11-01',
        harness.adminToken,
      );
      expect(backwards.status).toBe(400);
    });

    it('should show the audit trail of every license operation to platform admins only', async () => {
      const audit = await harness.call<PageBody<{ operation: string; accountId: string }>>(
        'GET',
        `/entitlements/v1/boardingpass/audit?accountId=${white}&limit=200`,
        harness.adminToken,
      );
      expect(new Set(audit.body.items.map((entry) => entry.operation))).toEqual(
        new Set(['ISSUED', 'UPGRADE_REQUESTED', 'UPGRADE_APPROVED', 'SUPERSEDED']),
      );
      const paged = await harness.call<PageBody<unknown>>(
        'GET',
        '/entitlements/v1/boardingpass/audit?limit=2',
        harness.adminToken,
      );
      const next = await harness.call<PageBody<unknown>>(
        'GET',
        `/entitlements/v1/boardingpass/audit?limit=2&cursor=${paged.body.nextCursor}`,
        harness.adminToken,
      );
      expect(next.body.items).toHaveLength(2);
      expect((await harness.call('GET', '/entitlements/v1/boardingpass/audit', tokens.white!)).status).toBe(403);
    });
  });

  describe('the license CA and signing keys survive a restart', () => {
    it('should publish the same CA and JWKS after a restart, so earlier licenses keep verifying; auto-approve by triage', async () => {
      const ca = (await harness.call('GET', '/entitlements/v1/ca', null)).text;
      const jwks = (await harness.call('GET', '/entitlements/v1/jwks', null)).body;
      const deviceId = `restart-${randomUUID().slice(0, 8)}`;
      await enroll(deviceId, robomake);
      const before = await trialOf(deviceId, tokens.robomake!);
      await harness.close();
      // Same database, new process; this one auto-approves the platform's TRIAL software by triage.
      harness = await startServiceHarness(db, {
        imports: [TrustMintModule.forRoot(testConfig({ TRUST_MINT_AUTO_APPROVE_CATEGORIES: 'device_bound,platform' }))],
      });
      tokens.robomake = await harness.clientToken(robomake, ADMIN_OF_ACCOUNT);
      expect((await harness.call('GET', '/entitlements/v1/ca', null)).text).toBe(ca);
      expect((await harness.call('GET', '/entitlements/v1/jwks', null)).body).toEqual(jwks);
      expect(await chainsToPublishedCa(harness, before.certificatePem)).toBe(true);
      expect(await verifyLicenseToken(harness, before.token)).not.toBeNull();

      const auto = await harness.call<UpgradeBody>('POST', '/entitlements/v1/upgrade-requests', tokens.robomake!, {
        licenseId: before.id,
      });
      expect(auto.status).toBe(201);
      expect(auto.body).toMatchObject({ status: 'APPROVED', route: 'AUTO_APPROVE', decidedBy: 'system:auto-approve' });
      expect(auto.body.issuedLicenseId).toEqual(expect.any(String));
    });
  });
});
