import { randomUUID } from 'node:crypto';
import { OrgModule } from '@flexgalaxy/org';
import {
  clientCredentialsToken,
  DRIVERS,
  openTestDatabase,
  startServiceHarness,
  waitFor,
  type ServiceHarness,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { SUBSCRIBE_PERMISSION, TrustMintModule, trustMintConfigSchema } from '@flexgalaxy/trust-mint';

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * seed 001 "Permission Boundary Model" across services, as the platform composes them: TrustMint
 * takes the declaration over HTTP, org's handler gives it to the identity provider, and the
 * account's clients' next tokens carry `roles`.
 */
describe.each(DRIVERS)('TrustMint roles in the tokens of the account on %s', (driver) => {
  let db: TestDatabase;
  let harness: ServiceHarness;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    harness = await startServiceHarness(db, {
      imports: [TrustMintModule.forRoot(trustMintConfigSchema.parse({})), OrgModule],
    });
  });
  afterAll(async () => {
    await harness?.close();
    await db?.close();
  });

  it("should carry the declared roles in the account's device client tokens, and follow a change", async () => {
    const accountId = `maker-${randomUUID().slice(0, 8)}`;
    const adminToken = await harness.clientToken(accountId, [SUBSCRIBE_PERMISSION]);
    const device = await harness.identity.createClient({
      accountId,
      permissions: ['devices.read'],
      description: 'm2m',
    });
    const stranger = await harness.identity.createClient({
      accountId: `stranger-${randomUUID().slice(0, 8)}`,
      permissions: ['devices.read'],
      description: 'm2m',
    });
    const rolesOf = async (client: { clientId: string; clientSecret: string }) =>
      claimsOf(await clientCredentialsToken(harness.identity.tokenEndpoint(), client.clientId, client.clientSecret))[
        'roles'
      ];

    const declared = await harness.call('PUT', '/entitlements/v1/subscription', adminToken, {
      roles: ['DEVICE_MANUFACTURER'],
    });
    const first = await waitFor(async () => {
      const roles = await rolesOf(device);
      return Array.isArray(roles) ? roles : null;
    });
    await harness.call('PUT', '/entitlements/v1/subscription', adminToken, {
      roles: ['DEVICE_MANUFACTURER', 'LICENSE_MANAGER'],
    });
    const changed = await waitFor(async () => {
      const roles = await rolesOf(device);
      return Array.isArray(roles) && roles.length === 2 ? roles : null;
    });

    expect(declared.status).toBe(200);
    expect(first).toEqual(['trust-mint:DEVICE_MANUFACTURER']);
    expect(changed).toEqual(['trust-mint:DEVICE_MANUFACTURER', 'trust-mint:LICENSE_MANAGER']);
    expect(await rolesOf(stranger)).toBeUndefined();
  });
});
