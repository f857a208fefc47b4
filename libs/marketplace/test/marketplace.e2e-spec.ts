import { randomUUID } from 'node:crypto';
import { PrismaService } from '@flexgalaxy/db';
import { MarketplaceModule, marketplaceConfigSchema } from '@flexgalaxy/marketplace';
import { OrgModule } from '@flexgalaxy/org';
import {
  DRIVERS,
  openTestDatabase,
  ReportingApiFake,
  startServiceHarness,
  waitFor,
  type ServiceHarness,
  type TestDatabase,
} from '@flexgalaxy/testing';

interface ListingBody {
  id: string;
  developerAccountId: string;
  softwareId: string;
  status: string;
  latestVersion: string | null;
  versionScoping: string;
  licensePolicy: { softwareType: string; licenseType: string; trigger: string };
  description: string;
}

interface GrantBody {
  id: string;
  listingId: string;
  granteeAccountId: string;
  scope: string;
  orgRootAccountId: string | null;
  versionScoping: string;
  grantedVersion: string;
  status: string;
}

interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
}

const DEVELOPER = ['marketplace.listings.write', 'marketplace.metrics.read'];
const ACCOUNT_ADMIN = ['marketplace.get'];
const ROOT_SOFTWARE_ADMIN = ['marketplace.get', 'marketplace.get.org'];

const navSoft = (softwareId: string, overrides: Record<string, unknown> = {}) => ({
  softwareId,
  name: 'AMR-X1 Nav Software',
  description: 'Warehouse navigation',
  category: 'application',
  compatibleDevices: 'type = "amr" AND model = "X1" AND revision >= "r3"',
  versionScoping: 'major',
  licensePolicy: { softwareType: 'firmware', licenseType: 'per-device perpetual', trigger: 'on_install' },
  ...overrides,
});

describe.each(DRIVERS)('Marketplace over HTTP on %s (seed 000 §3–4)', (driver) => {
  let db: TestDatabase;
  let harness: ServiceHarness;
  const otaFake = new ReportingApiFake();
  const trustMintFake = new ReportingApiFake();
  const accounts: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  async function createAccount(name: string, kind: string, parent?: string): Promise<void> {
    const answer = parent
      ? await harness.call<{ id: string }>(
          'POST',
          `/org/v1/accounts/${accounts[parent]}/children`,
          harness.adminToken,
          { name, kind },
        )
      : await harness.call<{ id: string }>('POST', '/org/v1/accounts', harness.adminToken, { name, kind });
    expect(answer.status).toBe(201);
    accounts[name] = answer.body.id;
  }

  async function outboxPayloads(type: string): Promise<Record<string, unknown>[]> {
    const rows = await harness.app
      .get(PrismaService)
      .outboxEvent.findMany({ where: { type }, orderBy: { seq: 'asc' } });
    return rows.map((row) => row.payload as Record<string, unknown>);
  }

  async function publishedListing(
    softwareId: string,
    versions: string[],
    overrides: Record<string, unknown> = {},
  ): Promise<ListingBody> {
    const created = await harness.call<ListingBody>(
      'POST',
      '/marketplace/v1/listings',
      tokens.SyriusSoft!,
      navSoft(softwareId, overrides),
    );
    expect(created.status).toBe(201);
    for (const version of versions) {
      expect(
        (
          await harness.call('POST', `/marketplace/v1/listings/${created.body.id}/versions`, tokens.SyriusSoft!, {
            version,
          })
        ).status,
      ).toBe(201);
    }
    return (await harness.call<ListingBody>('GET', `/marketplace/v1/listings/${created.body.id}`, tokens.SyriusSoft!))
      .body;
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    await otaFake.start();
    await trustMintFake.start();
    harness = await startServiceHarness(db, {
      imports: [
        OrgModule,
        MarketplaceModule.forRoot(
          marketplaceConfigSchema.parse({
            OTA_FORGE_URL: otaFake.url,
            TRUST_MINT_URL: trustMintFake.url,
            MARKETPLACE_REPORTS_TIMEOUT_MS: '500',
          }),
        ),
      ],
    });
    // seed 000 "Account Hierarchy": SyriusSoft publishes; RoboMake is the org root; Japan a member.
    await createAccount('SyriusSoft', 'developer');
    await createAccount('OtherSoft', 'developer');
    await createAccount('RoboMake', 'maker');
    await createAccount('Japan', 'member', 'RoboMake');
    await createAccount('Warehouse A', 'end_user');
    await waitFor(async () => (await harness.app.get(PrismaService).marketplaceAccount.count()) === 5, 15_000);
    tokens.SyriusSoft = await harness.clientToken(accounts.SyriusSoft!, DEVELOPER);
    tokens.OtherSoft = await harness.clientToken(accounts.OtherSoft!, DEVELOPER);
    tokens.RoboMake = await harness.clientToken(accounts.RoboMake!, ROOT_SOFTWARE_ADMIN);
    tokens.RoboMakeAccountAdmin = await harness.clientToken(accounts.RoboMake!, ACCOUNT_ADMIN);
    tokens.Japan = await harness.clientToken(accounts.Japan!, ROOT_SOFTWARE_ADMIN);
    tokens.WarehouseA = await harness.clientToken(accounts['Warehouse A']!, [...DEVELOPER, ...ROOT_SOFTWARE_ADMIN]);
  });

  afterAll(async () => {
    await harness?.close();
    await otaFake.close();
    await trustMintFake.close();
    await db?.close();
  });

  describe('listings', () => {
    it('should refuse a listing without a license issuance policy with 400 naming it, and create nothing', async () => {
      const { licensePolicy: _dropped, ...withoutPolicy } = navSoft('no-policy');
      const answer = await harness.call('POST', '/marketplace/v1/listings', tokens.SyriusSoft!, withoutPolicy);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body['details'])).toContain('licensePolicy');
      const incomplete = await harness.call('POST', '/marketplace/v1/listings', tokens.SyriusSoft!, {
        ...navSoft('no-trigger'),
        licensePolicy: { softwareType: 'firmware', licenseType: 'perpetual' },
      });
      expect(incomplete.status).toBe(400);
      expect(JSON.stringify(incomplete.body['details'])).toContain('licensePolicy.trigger');
      const own = await harness.call<PageBody<ListingBody>>('GET', '/marketplace/v1/listings', tokens.SyriusSoft!);
      expect(own.body.items).toEqual([]);
    });

    it('should refuse a compatible-device expression the OTA policy language rejects, with its position', async () => {
      const answer = await harness.call(
        'POST',
        '/marketplace/v1/listings',
        tokens.SyriusSoft!,
        navSoft('bad-target', { compatibleDevices: 'type = "amr" AND' }),
      );
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'LISTING.INVALID_COMPATIBLE_DEVICES',
        details: { field: 'compatibleDevices', position: 16, line: 1 },
      });
      const unknown = await harness.call(
        'POST',
        '/marketplace/v1/listings',
        tokens.SyriusSoft!,
        navSoft('bad-attr', { compatibleDevices: 'colour = "red"' }),
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body['details']).toMatchObject({ position: 0 });
    });

    it('should let developers (and makers) publish, not member or end-user accounts', async () => {
      const endUser = await harness.call(
        'POST',
        '/marketplace/v1/listings',
        tokens.WarehouseA!,
        navSoft('end-user-app'),
      );
      expect(endUser.status).toBe(403);
      expect(endUser.body['code']).toBe('LISTING.PUBLISHER_ACCOUNT_REQUIRED');
      const noPermission = await harness.call(
        'POST',
        '/marketplace/v1/listings',
        tokens.RoboMake!,
        navSoft('robomake-os'),
      );
      expect(noPermission.status).toBe(403);
    });

    it('should keep a draft to its developer (404 to others, absent from their catalog)', async () => {
      const draft = await harness.call<ListingBody>(
        'POST',
        '/marketplace/v1/listings',
        tokens.SyriusSoft!,
        navSoft('navsoft-draft'),
      );
      expect(draft.status).toBe(201);
      expect(draft.body).toMatchObject({
        status: 'DRAFT',
        latestVersion: null,
        developerAccountId: accounts.SyriusSoft,
      });
      const foreign = await harness.call('GET', `/marketplace/v1/listings/${draft.body.id}`, tokens.OtherSoft!);
      const missing = await harness.call('GET', `/marketplace/v1/listings/${randomUUID()}`, tokens.OtherSoft!);
      expect([foreign.status, missing.status]).toEqual([404, 404]);
      expect(foreign.body['code']).toBe('LISTING.NOT_FOUND');
      const catalog = await harness.call<PageBody<ListingBody>>('GET', '/marketplace/v1/listings', tokens.OtherSoft!);
      expect(catalog.body.items.map((listing) => listing.id)).not.toContain(draft.body.id);
      expect(
        (await harness.call('PATCH', `/marketplace/v1/listings/${draft.body.id}`, tokens.OtherSoft!, { name: 'mine' }))
          .status,
      ).toBe(404);
      expect(
        (
          await harness.call('POST', `/marketplace/v1/listings/${draft.body.id}/versions`, tokens.OtherSoft!, {
            version: '1.0.0',
          })
        ).status,
      ).toBe(404);
      expect(
        (
          await harness.call('POST', `/marketplace/v1/listings/${draft.body.id}/get`, tokens.RoboMake!, {
            scope: 'account',
          })
        ).status,
      ).toBe(404);
      const duplicate = await harness.call(
        'POST',
        '/marketplace/v1/listings',
        tokens.SyriusSoft!,
        navSoft('navsoft-draft'),
      );
      expect(duplicate.status).toBe(409);
    });

    it('should publish versions, emitting listing.published, and lock the terms once published', async () => {
      const draft = await harness.call<ListingBody>(
        'POST',
        '/marketplace/v1/listings',
        tokens.SyriusSoft!,
        navSoft('navsoft'),
      );
      const id = draft.body.id;
      expect(
        (await harness.call('PATCH', `/marketplace/v1/listings/${id}`, tokens.SyriusSoft!, { versionScoping: 'all' }))
          .status,
      ).toBe(200);
      expect(
        (await harness.call('PATCH', `/marketplace/v1/listings/${id}`, tokens.SyriusSoft!, { versionScoping: 'major' }))
          .status,
      ).toBe(200);
      const published = await harness.call<{ listing: ListingBody; version: { version: string; major: number } }>(
        'POST',
        `/marketplace/v1/listings/${id}/versions`,
        tokens.SyriusSoft!,
        { version: '3.0.0', releaseNotes: 'first' },
      );
      expect(published.status).toBe(201);
      expect(published.body.listing).toMatchObject({ status: 'PUBLISHED', latestVersion: '3.0.0' });
      expect(published.body.version).toMatchObject({ version: '3.0.0', major: 3 });
      for (const version of ['3.10.0', '3.9.0']) {
        await harness.call('POST', `/marketplace/v1/listings/${id}/versions`, tokens.SyriusSoft!, { version });
      }
      const listing = await harness.call<ListingBody>('GET', `/marketplace/v1/listings/${id}`, tokens.OtherSoft!);
      expect(listing.body).toMatchObject({ status: 'PUBLISHED', latestVersion: '3.10.0' });
      expect((await outboxPayloads('listing.published')).filter((payload) => payload['listingId'] === id)).toEqual(
        ['3.0.0', '3.10.0', '3.9.0'].map((version) => ({
          listingId: id,
          developerAccountId: accounts.SyriusSoft,
          name: 'AMR-X1 Nav Software',
          version,
          category: 'application',
          versionScoping: 'major',
          licensePolicy: { softwareType: 'firmware', licenseType: 'per-device perpetual', trigger: 'on_install' },
        })),
      );

      const again = await harness.call('POST', `/marketplace/v1/listings/${id}/versions`, tokens.SyriusSoft!, {
        version: '3.0.0',
      });
      expect(again.status).toBe(409);
      const badVersion = await harness.call('POST', `/marketplace/v1/listings/${id}/versions`, tokens.SyriusSoft!, {
        version: 'latest',
      });
      expect(badVersion.status).toBe(400);
      const locked = await harness.call('PATCH', `/marketplace/v1/listings/${id}`, tokens.SyriusSoft!, {
        licensePolicy: { softwareType: 'firmware', licenseType: 'subscription', trigger: 'on_activation' },
      });
      expect(locked.status).toBe(409);
      expect(locked.body['code']).toBe('LISTING.TERMS_LOCKED');
      const described = await harness.call<ListingBody>('PATCH', `/marketplace/v1/listings/${id}`, tokens.SyriusSoft!, {
        description: 'now with docking',
      });
      expect(described.body.description).toBe('now with docking');
      const versions = await harness.call<{ items: { version: string }[] }>(
        'GET',
        `/marketplace/v1/listings/${id}/versions`,
        tokens.RoboMake!,
      );
      expect(versions.body.items.map((item) => item.version)).toEqual(['3.0.0', '3.10.0', '3.9.0']);
    });
  });

  describe('"Get" (seed 000 §3)', () => {
    let listing: ListingBody;

    beforeAll(async () => {
      listing = await publishedListing(`navsoft-get-${randomUUID().slice(0, 6)}`, ['3.0.0', '3.1.0', '4.0.0']);
    });

    it("should grant RoboMake's account and answer a second Get with the same grant (200)", async () => {
      const first = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/listings/${listing.id}/get`,
        tokens.RoboMakeAccountAdmin!,
        { scope: 'account', version: '3.0.0' },
      );
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        listingId: listing.id,
        granteeAccountId: accounts.RoboMake,
        scope: 'account',
        versionScoping: 'major',
        grantedVersion: '3.0.0',
        status: 'ACTIVE',
      });
      const second = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/listings/${listing.id}/get`,
        tokens.RoboMakeAccountAdmin!,
        { scope: 'account', version: '3.0.0' },
      );
      expect(second.status).toBe(200);
      expect(second.body.id).toBe(first.body.id);
      // Major scoping: 3.1.0 is covered by the 3.x grant; 4.0.0 needs a new Get.
      const minor = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/listings/${listing.id}/get`,
        tokens.RoboMakeAccountAdmin!,
        { scope: 'account', version: '3.1.0' },
      );
      expect([minor.status, minor.body.id]).toEqual([200, first.body.id]);
      const major = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/listings/${listing.id}/get`,
        tokens.RoboMakeAccountAdmin!,
        { scope: 'account' },
      );
      expect(major.status).toBe(201);
      expect(major.body.grantedVersion).toBe('4.0.0');
      const created = (await outboxPayloads('marketplace.grant.created')).filter(
        (payload) => payload['listingId'] === listing.id,
      );
      expect(created).toEqual([
        {
          grantId: first.body.id,
          listingId: listing.id,
          granteeAccountId: accounts.RoboMake,
          scope: 'account',
          orgRootAccountId: accounts.RoboMake,
          versionScoping: 'major',
          grantedVersion: '3.0.0',
        },
        expect.objectContaining({ grantId: major.body.id, grantedVersion: '4.0.0' }),
      ]);
    });

    it('should make concurrent Gets one grant', async () => {
      const fresh = await publishedListing(`navsoft-race-${randomUUID().slice(0, 6)}`, ['1.0.0'], {
        versionScoping: 'all',
      });
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          harness.call<GrantBody>('POST', `/marketplace/v1/listings/${fresh.id}/get`, tokens.RoboMake!, {
            scope: 'account',
          }),
        ),
      );
      expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
      expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    });

    it('should make an org-wide Get from the org root, visible read-only to its members', async () => {
      const org = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/listings/${listing.id}/get`,
        tokens.RoboMake!,
        { scope: 'org' },
      );
      expect(org.status).toBe(201);
      expect(org.body).toMatchObject({ scope: 'org', orgRootAccountId: accounts.RoboMake, grantedVersion: '4.0.0' });
      const seenByJapan = await harness.call<PageBody<GrantBody>>(
        'GET',
        `/marketplace/v1/grants?listingId=${listing.id}`,
        tokens.Japan!,
      );
      expect(seenByJapan.body.items.map((grant) => grant.id)).toEqual([org.body.id]);
      const revokeByMember = await harness.call('POST', `/marketplace/v1/grants/${org.body.id}/revoke`, tokens.Japan!);
      expect(revokeByMember.status).toBe(403);
      expect(revokeByMember.body['code']).toBe('GRANT.READ_ONLY');
    });

    it('should refuse an org-wide Get from a member account, or without marketplace.get.org, and grant nothing', async () => {
      const member = await harness.call('POST', `/marketplace/v1/listings/${listing.id}/get`, tokens.Japan!, {
        scope: 'org',
      });
      expect(member.status).toBe(403);
      expect(member.body['code']).toBe('GRANT.ORG_ROOT_REQUIRED');
      const undelegated = await harness.call(
        'POST',
        `/marketplace/v1/listings/${listing.id}/get`,
        tokens.RoboMakeAccountAdmin!,
        { scope: 'org', version: '3.0.0' },
      );
      expect(undelegated.status).toBe(403);
      expect(undelegated.body['code']).toBe('AUTH.FORBIDDEN');
      const japanGrants = await harness.call<PageBody<GrantBody>>(
        'GET',
        '/marketplace/v1/grants?status=ACTIVE',
        tokens.Japan!,
      );
      expect(
        japanGrants.body.items.every((grant) => grant.granteeAccountId === accounts.RoboMake && grant.scope === 'org'),
      ).toBe(true);
    });

    it.each([
      {
        what: 'an unknown version',
        body: { scope: 'account', version: '9.9.9' },
        status: 400,
        code: 'GRANT.UNKNOWN_VERSION',
      },
      { what: 'a malformed version', body: { scope: 'account', version: 'v1' }, status: 400, code: 'REQUEST.INVALID' },
      { what: 'an unknown scope', body: { scope: 'planet' }, status: 400, code: 'REQUEST.INVALID' },
    ])('should refuse $what with $status', async ({ body, status, code }) => {
      const answer = await harness.call('POST', `/marketplace/v1/listings/${listing.id}/get`, tokens.RoboMake!, body);
      expect(answer.status).toBe(status);
      expect(answer.body['code']).toBe(code);
    });

    it('should answer another account reading or revoking a grant with 404, as a missing one', async () => {
      const [grant] = (
        await harness.call<PageBody<GrantBody>>(
          'GET',
          `/marketplace/v1/grants?listingId=${listing.id}`,
          tokens.RoboMake!,
        )
      ).body.items;
      for (const token of [tokens.OtherSoft!, tokens.SyriusSoft!]) {
        expect((await harness.call('GET', `/marketplace/v1/grants/${grant!.id}`, token)).status).toBe(404);
        expect((await harness.call('POST', `/marketplace/v1/grants/${grant!.id}/revoke`, token)).status).toBe(404);
        expect((await harness.call<PageBody<GrantBody>>('GET', '/marketplace/v1/grants', token)).body.items).toEqual(
          [],
        );
      }
    });

    it('should revoke (marketplace.grant.revoked), repeat harmlessly, and let a new Get grant again', async () => {
      const exact = await publishedListing(`navsoft-exact-${randomUUID().slice(0, 6)}`, ['1.0.0', '1.0.1'], {
        versionScoping: 'exact',
      });
      const first = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/listings/${exact.id}/get`,
        tokens.RoboMake!,
        { scope: 'account', version: '1.0.0' },
      );
      const other = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/listings/${exact.id}/get`,
        tokens.RoboMake!,
        { scope: 'account', version: '1.0.1' },
      );
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(first.body.id);
      const revoked = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/grants/${first.body.id}/revoke`,
        tokens.RoboMake!,
      );
      expect(revoked.body.status).toBe('REVOKED');
      const again = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/grants/${first.body.id}/revoke`,
        tokens.RoboMake!,
      );
      expect([again.status, again.body.status]).toEqual([200, 'REVOKED']);
      expect(
        (await outboxPayloads('marketplace.grant.revoked')).filter((payload) => payload['grantId'] === first.body.id),
      ).toEqual([{ grantId: first.body.id, listingId: exact.id }]);
      const regained = await harness.call<GrantBody>(
        'POST',
        `/marketplace/v1/listings/${exact.id}/get`,
        tokens.RoboMake!,
        { scope: 'account', version: '1.0.0' },
      );
      expect(regained.status).toBe(201);
      expect(regained.body.id).not.toBe(first.body.id);
    });
  });

  describe('developer portal metrics', () => {
    let listing: ListingBody;

    beforeAll(async () => {
      listing = await publishedListing(`navsoft-metrics-${randomUUID().slice(0, 6)}`, ['3.0.0']);
      await harness.call('POST', `/marketplace/v1/listings/${listing.id}/get`, tokens.RoboMake!, { scope: 'org' });
      await harness.call('POST', `/marketplace/v1/listings/${listing.id}/get`, tokens.RoboMake!, { scope: 'account' });
      otaFake.setOtaReport({
        listingId: listing.id,
        version: null,
        matched: 100,
        downloading: 5,
        installed: 80,
        failed: 15,
        trend: [{ day: '2026-11-22', installed: 80, failed: 15 }],
      });
      otaFake.setOtaReport({
        listingId: listing.id,
        version: '3.0.0',
        matched: 100,
        downloading: 0,
        installed: 40,
        failed: 2,
        trend: [],
      });
      trustMintFake.setLicenseReport({
        softwareId: listing.id,
        active: 78,
        byType: { TRIAL: 0, OFFICIAL: 78 },
        trend: [{ day: '2026-11-22', issued: 80, revoked: 2 }],
      });
    });

    it("should aggregate OTA Forge's and TrustMint's reports with its own Gets, for the developer", async () => {
      const metrics = await harness.call('GET', `/marketplace/v1/listings/${listing.id}/metrics`, tokens.SyriusSoft!);
      expect(metrics.status).toBe(200);
      expect(metrics.body).toMatchObject({
        listingId: listing.id,
        version: null,
        sources: { otaForge: 'ok', trustMint: 'ok' },
        devicesMatched: 100,
        installs: { successful: 80, failed: 15, inProgress: 5 },
        installTrend: [{ day: '2026-11-22', installed: 80, failed: 15 }],
        licenses: {
          active: 78,
          byType: { TRIAL: 0, OFFICIAL: 78 },
          trend: [{ day: '2026-11-22', issued: 80, revoked: 2 }],
        },
        gets: { total: 2, active: 2, revoked: 0, byScope: { account: 1, org: 1 } },
        adoption: { granteeAccounts: 1, installRate: 0.8, licensesPerInstall: 0.975 },
      });
      // Aggregates only: no account or device ids of the grantees.
      expect(JSON.stringify(metrics.body)).not.toContain(accounts.RoboMake!);
      const byVersion = await harness.call(
        'GET',
        `/marketplace/v1/listings/${listing.id}/metrics?version=3.0.0`,
        tokens.SyriusSoft!,
      );
      expect(byVersion.body).toMatchObject({ version: '3.0.0', installs: { successful: 40, failed: 2 } });
    });

    it("should call each reporting API with the service's bearer token and the listing id", () => {
      const ota = otaFake.requests.filter((request) => request.path === '/ota/v1/reports/software');
      const licenses = trustMintFake.requests.filter((request) => request.path === '/entitlements/v1/reports/licenses');
      expect(ota.at(-1)!.query).toEqual({ listingId: listing.id, version: '3.0.0' });
      expect(licenses.at(-1)!.query).toEqual({ softwareId: listing.id });
      const token = ota.at(-1)!.authorization!.replace('Bearer ', '');
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
        permissions: string[];
      };
      expect(claims.permissions).toContain('platform.admin');
    });

    it('should show the rest when a reporting API fails or hangs', async () => {
      otaFake.failNext(1, 503);
      const failed = await harness.call('GET', `/marketplace/v1/listings/${listing.id}/metrics`, tokens.SyriusSoft!);
      expect(failed.body).toMatchObject({
        sources: { otaForge: 'unavailable', trustMint: 'ok' },
        devicesMatched: null,
        installs: null,
        licenses: { active: 78 },
        gets: { total: 2 },
        adoption: { installRate: null },
      });
      trustMintFake.failNext(1, 'hang');
      const started = Date.now();
      const hung = await harness.call('GET', `/marketplace/v1/listings/${listing.id}/metrics`, tokens.SyriusSoft!);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(hung.body).toMatchObject({
        sources: { otaForge: 'ok', trustMint: 'unavailable' },
        licenses: null,
        devicesMatched: 100,
      });
    });

    it("should answer another developer, or a non-developer, with 404 for someone else's listing", async () => {
      expect(
        (await harness.call('GET', `/marketplace/v1/listings/${listing.id}/metrics`, tokens.OtherSoft!)).status,
      ).toBe(404);
      const grantee = await harness.clientToken(accounts.RoboMake!, ['marketplace.metrics.read']);
      expect((await harness.call('GET', `/marketplace/v1/listings/${listing.id}/metrics`, grantee)).status).toBe(404);
      expect(
        (await harness.call('GET', `/marketplace/v1/listings/${listing.id}/metrics`, tokens.RoboMake!)).status,
      ).toBe(403);
    });
  });
});
