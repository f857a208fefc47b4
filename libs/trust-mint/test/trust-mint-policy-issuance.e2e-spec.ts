import { generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto';
import {
  DRIVERS,
  openTestDatabase,
  startServiceHarness,
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
  OTA_CONSUMER,
  otaStatus,
  provisioned,
  testConfig,
  verifyLicenseToken,
  type LicenseBody,
  type PageBody,
} from './trust-mint.fixtures.js';

describe.each(DRIVERS)('TrustMint policy-driven issuance on %s (seed 000 §4)', (driver) => {
  let db: TestDatabase;
  let harness: ServiceHarness;
  const maker = `robomake-${randomUUID().slice(0, 8)}`;
  const developer = `syrius-${randomUUID().slice(0, 8)}`;
  let makerToken: string;
  const listings = {
    firmware: randomUUID(),
    maps: randomUUID(),
    applet: randomUUID(),
    model: randomUUID(),
  };

  async function device(prefix: string): Promise<{ id: string; token: string }> {
    const id = `${prefix}-${randomUUID().slice(0, 8)}`;
    await harness.publish([provisioned(id, maker)], [DEVICE_CONSUMER]);
    // The device's M2M client is named after it (provisioning's convention), in its owner's account.
    return { id, token: await harness.clientToken(maker, [], id) };
  }

  async function licensesOf(deviceId: string, softwareId: string): Promise<LicenseBody[]> {
    const page = await harness.call<PageBody<LicenseBody>>(
      'GET',
      `/entitlements/v1/licenses?deviceId=${deviceId}&softwareId=${softwareId}`,
      makerToken,
    );
    return page.body.items;
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    harness = await startServiceHarness(db, { imports: [TrustMintModule.forRoot(testConfig())] });
    makerToken = await harness.clientToken(maker, ADMIN_OF_ACCOUNT);
    await harness.call('PUT', '/entitlements/v1/subscription', makerToken, { roles: ['DEVICE_MANUFACTURER'] });
    // seed 000 §4 table: firmware on install, map data per download, SaaS applet on activation, ML model on install + validation.
    await harness.publish(
      [
        listingPublished(listings.firmware, developer, 'on_install', {
          category: 'device_bound',
          licensePolicy: { softwareType: 'firmware', licenseType: 'per-device perpetual', trigger: 'on_install' },
        }),
        listingPublished(listings.maps, developer, 'on_download', {
          licensePolicy: { softwareType: 'map_data', licenseType: 'per-update consumable', trigger: 'on_download' },
        }),
        listingPublished(listings.applet, developer, 'on_activation', {
          licensePolicy: { softwareType: 'saas_applet', licenseType: 'subscription', trigger: 'on_activation' },
        }),
        listingPublished(listings.model, developer, 'on_install_validated', {
          version: '2.0.0',
          licensePolicy: {
            softwareType: 'ml_model',
            licenseType: 'per-device version-locked',
            trigger: 'on_install_validated',
          },
        }),
      ],
      [LISTING_CONSUMER],
    );
  });

  afterAll(async () => {
    await harness?.close();
    await db?.close();
  });

  describe('on successful OTA install (firmware)', () => {
    it('should issue one OFFICIAL license when OTA reports installed, not before, and never twice', async () => {
      const robot = await device('fw');
      await harness.publish(
        [
          otaStatus(robot.id, maker, listings.firmware, 'downloading'),
          otaStatus(robot.id, maker, listings.firmware, 'downloaded'),
        ],
        [OTA_CONSUMER],
      );
      expect(await licensesOf(robot.id, listings.firmware)).toEqual([]);
      const installed = otaStatus(robot.id, maker, listings.firmware, 'installed');
      await harness.publish([installed], [OTA_CONSUMER]);
      const [license] = await licensesOf(robot.id, listings.firmware);
      expect(license).toMatchObject({
        type: 'OFFICIAL',
        trigger: 'on_install',
        softwareVersion: '1.0.0',
        accountId: maker,
        status: 'ACTIVE',
        expiresAt: null,
      });
      const full = (await harness.call<LicenseBody>('GET', `/entitlements/v1/licenses/${license!.id}`, makerToken))
        .body;
      expect(await chainsToPublishedCa(harness, full.certificatePem)).toBe(true);
      expect(await verifyLicenseToken(harness, full.token)).toMatchObject({
        software_id: listings.firmware,
        device_id: robot.id,
        license_type: 'OFFICIAL',
      });
      // A replay and a later install of a newer version: still one perpetual license.
      await harness.publish(
        [installed, otaStatus(robot.id, maker, listings.firmware, 'installed', '1.1.0')],
        [OTA_CONSUMER],
      );
      expect(await licensesOf(robot.id, listings.firmware)).toHaveLength(1);
    });

    it('should ignore a failed install and events without a listing', async () => {
      const robot = await device('fw-failed');
      await harness.publish([otaStatus(robot.id, maker, listings.firmware, 'failed')], [OTA_CONSUMER]);
      const unlisted = otaStatus(robot.id, maker, listings.firmware, 'installed');
      await harness.publish([{ ...unlisted, payload: { ...unlisted.payload, listingId: null } }], [OTA_CONSUMER]);
      expect(await licensesOf(robot.id, listings.firmware)).toEqual([]);
    });
  });

  describe('on download completion (map data, consumable)', () => {
    it('should issue one license per completed download, and none on install', async () => {
      const robot = await device('maps');
      await harness.publish(
        [
          otaStatus(robot.id, maker, listings.maps, 'downloaded', '2026.11', 'a1'),
          otaStatus(robot.id, maker, listings.maps, 'installed', '2026.11', 'a1'),
          otaStatus(robot.id, maker, listings.maps, 'downloaded', '2026.12', 'a2'),
        ],
        [OTA_CONSUMER],
      );
      const licenses = await licensesOf(robot.id, listings.maps);
      expect(licenses.map((license) => license.softwareVersion).sort()).toEqual(['2026.11', '2026.12']);
      expect(licenses.every((license) => license.trigger === 'on_download')).toBe(true);
      const report = await harness.call(
        'GET',
        `/entitlements/v1/reports/licenses?softwareId=${listings.maps}`,
        harness.adminToken,
      );
      expect(report.body).toMatchObject({ active: 2, byType: { TRIAL: 0, OFFICIAL: 2 } });
    });
  });

  describe('on explicit activation (SaaS applet)', () => {
    it("should issue on the device's first activation (201) and return the same license after (200)", async () => {
      const robot = await device('applet');
      const first = await harness.call<LicenseBody>('POST', '/entitlements/v1/activations', robot.token, {
        softwareId: listings.applet,
        softwareVersion: '0.9.0',
      });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        type: 'OFFICIAL',
        trigger: 'on_activation',
        deviceId: robot.id,
        softwareId: listings.applet,
        accountId: maker,
      });
      const again = await harness.call<LicenseBody>('POST', '/entitlements/v1/activations', robot.token, {
        softwareId: listings.applet,
      });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const concurrent = await device('applet-race');
      const answers = await Promise.all(
        Array.from({ length: 3 }, () =>
          harness.call<LicenseBody>('POST', '/entitlements/v1/activations', concurrent.token, {
            softwareId: listings.applet,
          }),
        ),
      );
      expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
      expect(await licensesOf(concurrent.id, listings.applet)).toHaveLength(1);
    });

    it("should certify the device's own public key when it sends one", async () => {
      const robot = await device('applet-key');
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const answer = await harness.call<LicenseBody>('POST', '/entitlements/v1/activations', robot.token, {
        softwareId: listings.applet,
        publicKeyPem: pem,
      });
      expect(answer.status).toBe(201);
      const certified = new X509Certificate(answer.body.certificatePem).publicKey
        .export({ type: 'spki', format: 'pem' })
        .toString();
      expect(certified).toBe(pem);
    });

    it.each([
      {
        what: 'an account token that is no device',
        who: 'account',
        body: () => ({ softwareId: listings.applet }),
        status: 403,
        code: 'ISSUANCE.DEVICE_TOKEN_REQUIRED',
      },
      {
        what: 'a listing issued on install',
        who: 'device',
        body: () => ({ softwareId: listings.firmware }),
        status: 409,
        code: 'ISSUANCE.TRIGGER_MISMATCH',
      },
      {
        what: 'an unknown software',
        who: 'device',
        body: () => ({ softwareId: randomUUID() }),
        status: 404,
        code: 'SOFTWARE.NOT_FOUND',
      },
      {
        what: 'a key that is not P-256',
        who: 'device',
        body: () => ({ softwareId: listings.applet, publicKeyPem: 'not a key' }),
        status: 400,
        code: 'ISSUANCE.INVALID_PUBLIC_KEY',
      },
      { what: 'no software id', who: 'device', body: () => ({}), status: 400, code: 'REQUEST.INVALID' },
      {
        what: 'another device named in the body',
        who: 'device',
        body: () => ({ softwareId: listings.applet, deviceId: 'someone-else' }),
        status: 403,
        code: 'ISSUANCE.DEVICE_TOKEN_REQUIRED',
      },
    ])('should refuse $what with $status and issue nothing', async ({ who, body, status, code }) => {
      const robot = await device('refused');
      const answer = await harness.call(
        'POST',
        '/entitlements/v1/activations',
        who === 'device' ? robot.token : makerToken,
        body(),
      );
      expect(answer.status).toBe(status);
      expect(answer.body['code']).toBe(code);
      const page = await harness.call<PageBody<LicenseBody>>(
        'GET',
        `/entitlements/v1/licenses?deviceId=${robot.id}&type=OFFICIAL`,
        makerToken,
      );
      expect(page.body.items).toEqual([]);
    });

    it('should let a platform admin activate for a named device', async () => {
      const robot = await device('applet-admin');
      expect(
        (
          await harness.call('POST', '/entitlements/v1/activations', harness.adminToken, {
            softwareId: listings.applet,
          })
        ).status,
      ).toBe(403);
      const answer = await harness.call<LicenseBody>('POST', '/entitlements/v1/activations', harness.adminToken, {
        softwareId: listings.applet,
        deviceId: robot.id,
      });
      expect(answer.status).toBe(201);
      expect(answer.body.deviceId).toBe(robot.id);
    });
  });

  describe('on install plus model validation (ML model, version-locked)', () => {
    it('should issue only once both the install and a passed validation of that version are known, in either order', async () => {
      const early = await device('model-early');
      const waiting = await harness.call<{ outcome: string; license: unknown }>(
        'POST',
        '/entitlements/v1/validations',
        early.token,
        {
          softwareId: listings.model,
          softwareVersion: '2.0.0',
          result: 'pass',
          details: { accuracy: 0.97 },
        },
      );
      expect(waiting.status).toBe(201);
      expect(waiting.body).toMatchObject({ outcome: 'awaiting_install', license: null });
      await harness.publish([otaStatus(early.id, maker, listings.model, 'installed', '2.0.0')], [OTA_CONSUMER]);
      const [license] = await licensesOf(early.id, listings.model);
      expect(license).toMatchObject({ softwareVersion: '2.0.0', trigger: 'on_install_validated' });

      const late = await device('model-late');
      await harness.publish([otaStatus(late.id, maker, listings.model, 'installed', '2.0.0')], [OTA_CONSUMER]);
      expect(await licensesOf(late.id, listings.model)).toEqual([]);
      const licensed = await harness.call<{ outcome: string; license: LicenseBody }>(
        'POST',
        '/entitlements/v1/validations',
        late.token,
        {
          softwareId: listings.model,
          softwareVersion: '2.0.0',
          result: 'pass',
        },
      );
      expect(licensed.body.outcome).toBe('licensed');
      expect(licensed.body.license).toMatchObject({ deviceId: late.id, softwareVersion: '2.0.0' });
    });

    it('should not issue on a failed self-test, and issue per version (version-locked)', async () => {
      const robot = await device('model-fail');
      await harness.publish([otaStatus(robot.id, maker, listings.model, 'installed', '2.0.0')], [OTA_CONSUMER]);
      const failed = await harness.call<{ outcome: string }>('POST', '/entitlements/v1/validations', robot.token, {
        softwareId: listings.model,
        softwareVersion: '2.0.0',
        result: 'fail',
      });
      expect(failed.body.outcome).toBe('failed');
      expect(await licensesOf(robot.id, listings.model)).toEqual([]);
      await harness.call('POST', '/entitlements/v1/validations', robot.token, {
        softwareId: listings.model,
        softwareVersion: '2.0.0',
        result: 'pass',
      });
      await harness.publish([otaStatus(robot.id, maker, listings.model, 'installed', '3.0.0')], [OTA_CONSUMER]);
      await harness.call('POST', '/entitlements/v1/validations', robot.token, {
        softwareId: listings.model,
        softwareVersion: '3.0.0',
        result: 'pass',
      });
      expect((await licensesOf(robot.id, listings.model)).map((license) => license.softwareVersion).sort()).toEqual([
        '2.0.0',
        '3.0.0',
      ]);
    });

    it('should refuse a validation for a listing that is not validated (409) or a bad result (400)', async () => {
      const robot = await device('model-bad');
      const mismatch = await harness.call('POST', '/entitlements/v1/validations', robot.token, {
        softwareId: listings.firmware,
        softwareVersion: '1.0.0',
        result: 'pass',
      });
      expect(mismatch.status).toBe(409);
      const bad = await harness.call('POST', '/entitlements/v1/validations', robot.token, {
        softwareId: listings.model,
        softwareVersion: '2.0.0',
        result: 'maybe',
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('result');
    });
  });

  describe('facts that arrive before the listing', () => {
    it('should keep an install until listing.published arrives, then apply the policy', async () => {
      const late = randomUUID();
      const robot = await device('early-install');
      await harness.publish([otaStatus(robot.id, maker, late, 'installed', '5.0.0')], [OTA_CONSUMER]);
      expect(await licensesOf(robot.id, late)).toEqual([]);
      await harness.publish(
        [listingPublished(late, developer, 'on_install', { version: '5.0.0' })],
        [LISTING_CONSUMER],
      );
      expect(await licensesOf(robot.id, late)).toEqual([
        expect.objectContaining({ softwareVersion: '5.0.0', trigger: 'on_install' }),
      ]);
    });
  });
});
