import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DeviceRegistryModule, deviceRegistryConfigSchema } from '@flexgalaxy/adapters';
import { PrismaService } from '@flexgalaxy/db';
import { MarketplaceModule, marketplaceConfigSchema } from '@flexgalaxy/marketplace';
import { OtaForgeModule, otaForgeConfigSchema } from '@flexgalaxy/ota-forge';
import {
  DRIVERS,
  openTestDatabase,
  startServiceHarness,
  waitFor,
  type ServiceHarness,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { TrustMintModule, trustMintConfigSchema } from '@flexgalaxy/trust-mint';

/**
 * The developer portal against the real reporting APIs: OTA Forge and TrustMint in the same app,
 * the Marketplace reaching both over HTTP at its own URL (OTA_FORGE_URL / TRUST_MINT_URL unset),
 * as in the platform.
 */
describe.each(DRIVERS)('Marketplace metrics against the real OTA Forge and TrustMint on %s', (driver) => {
  let db: TestDatabase;
  let harness: ServiceHarness;
  let artifacts: string;
  const developer = randomUUID();
  const maker = randomUUID();

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    artifacts = mkdtempSync(join(tmpdir(), 'fg-mp-artifacts-'));
    harness = await startServiceHarness(db, {
      imports: [
        DeviceRegistryModule.forRoot(
          deviceRegistryConfigSchema.parse({ MQTT_PORT: '0', MQTT_TELEMETRY_BATCH_DELAY_MS: '0' }),
        ),
        OtaForgeModule.forRoot(otaForgeConfigSchema.parse({ ARTIFACTS_DIR: artifacts })),
        TrustMintModule.forRoot(trustMintConfigSchema.parse({})),
        MarketplaceModule.forRoot(marketplaceConfigSchema.parse({})),
      ],
    });
    await harness.publish(
      [
        {
          type: 'org.account.created',
          accountId: developer,
          payload: {
            accountId: developer,
            name: 'SyriusSoft',
            kind: 'developer',
            parentAccountId: null,
            orgRootAccountId: developer,
            path: `/${developer}/`,
          },
        },
        {
          type: 'org.account.created',
          accountId: maker,
          payload: {
            accountId: maker,
            name: 'RoboMake',
            kind: 'maker',
            parentAccountId: null,
            orgRootAccountId: maker,
            path: `/${maker}/`,
          },
        },
      ],
      ['marketplace.accounts'],
    );
  });

  afterAll(async () => {
    await harness?.close();
    await db?.close();
    if (artifacts) rmSync(artifacts, { recursive: true, force: true });
  });

  it('should report licenses issued by TrustMint and the OTA aggregates, read over HTTP', async () => {
    const developerToken = await harness.clientToken(developer, [
      'marketplace.listings.write',
      'marketplace.metrics.read',
    ]);
    const created = await harness.call<{ id: string }>('POST', '/marketplace/v1/listings', developerToken, {
      softwareId: 'analytics-agent',
      name: 'Analytics agent',
      category: 'application',
      compatibleDevices: 'type = "amr"',
      versionScoping: 'all',
      licensePolicy: { softwareType: 'saas_applet', licenseType: 'subscription', trigger: 'on_activation' },
    });
    expect(created.status).toBe(201);
    const listingId = created.body.id;
    expect(
      (
        await harness.call('POST', `/marketplace/v1/listings/${listingId}/versions`, developerToken, {
          version: '1.0.0',
        })
      ).status,
    ).toBe(201);
    // TrustMint learns the listing's policy from listing.published.
    const prisma = harness.app.get(PrismaService);
    await waitFor(async () => (await prisma.trustMintListing.count({ where: { id: listingId } })) === 1, 15_000);

    const deviceId = `amr-${randomUUID().slice(0, 8)}`;
    await harness.publish(
      [
        {
          type: 'device.provisioned',
          accountId: maker,
          deviceId,
          payload: {
            deviceId,
            accountId: maker,
            scenario: 'factory',
            state: 'FACTORY_PROVISIONED',
            attributes: {
              type: 'amr',
              manufacturer: 'RoboMake',
              model: 'X1',
              revision: 'r3',
              serial: deviceId,
              firmwareVersion: null,
              capabilities: [],
            },
          },
        },
      ],
      ['trust-mint.devices'],
    );
    const deviceToken = await harness.clientToken(maker, [], deviceId);
    expect(
      (await harness.call('POST', '/entitlements/v1/activations', deviceToken, { softwareId: listingId })).status,
    ).toBe(201);

    const metrics = await harness.call('GET', `/marketplace/v1/listings/${listingId}/metrics`, developerToken);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatchObject({
      sources: { otaForge: 'ok', trustMint: 'ok' },
      devicesMatched: 0,
      installs: { successful: 0, failed: 0, inProgress: 0 },
      licenses: {
        active: 1,
        byType: { TRIAL: 0, OFFICIAL: 1 },
        trend: [{ day: new Date().toISOString().slice(0, 10), issued: 1, revoked: 0 }],
      },
    });
  });
});
