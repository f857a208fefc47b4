import { randomUUID } from 'node:crypto';
import { PrismaService } from '@flexgalaxy/db';
import {
  DRIVERS,
  openTestDatabase,
  startServiceHarness,
  type ServiceHarness,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { TrustMintModule } from '@flexgalaxy/trust-mint';
import { ADMIN_OF_ACCOUNT, testConfig } from './trust-mint.fixtures.js';

const DEVICE_MANUFACTURER = {
  name: 'DEVICE_MANUFACTURER',
  permissions: ['certificates.read', 'devices.read', 'devices.write', 'events.read'],
};
const LICENSE_MANAGER = {
  name: 'LICENSE_MANAGER',
  permissions: ['approvals.read', 'approvals.write', 'devices.read', 'licenses.read'],
};

/** seed 001: a declaration is announced, in its own transaction, for the identity provider to apply. */
describe.each(DRIVERS)('TrustMint role declarations as trust_mint.roles.declared on %s', (driver) => {
  let db: TestDatabase;
  let harness: ServiceHarness;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    harness = await startServiceHarness(db, { imports: [TrustMintModule.forRoot(testConfig())] });
  });
  afterAll(async () => {
    await harness?.close();
    await db?.close();
  });

  async function declaredEventsOf(accountId: string) {
    const rows = await harness.app.get(PrismaService).outboxEvent.findMany({
      where: { type: 'trust_mint.roles.declared', accountId },
      orderBy: { occurredAt: 'asc' },
    });
    return rows.map((row) => row.payload);
  }

  it('should announce every declaration with the roles, their boundaries and a growing version', async () => {
    const accountId = `maker-${randomUUID().slice(0, 8)}`;
    const token = await harness.clientToken(accountId, ADMIN_OF_ACCOUNT);

    const first = await harness.call('PUT', '/entitlements/v1/subscription', token, { roles: ['DEVICE_MANUFACTURER'] });
    const second = await harness.call('PUT', '/entitlements/v1/subscription', token, {
      roles: ['LICENSE_MANAGER', 'DEVICE_MANUFACTURER'],
    });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).not.toHaveProperty('rolesVersion');
    expect(await declaredEventsOf(accountId)).toEqual([
      { accountId, version: 1, roles: [DEVICE_MANUFACTURER] },
      { accountId, version: 2, roles: [DEVICE_MANUFACTURER, LICENSE_MANAGER] },
    ]);
  });

  it("should announce the roles' own boundaries even when the account's boundary is overridden", async () => {
    const accountId = `maker-${randomUUID().slice(0, 8)}`;
    const token = await harness.clientToken(accountId, ADMIN_OF_ACCOUNT);
    await harness.call('PUT', '/entitlements/v1/subscription', token, { roles: ['DEVICE_MANUFACTURER'] });

    const override = await harness.call(
      'PUT',
      `/entitlements/v1/subscriptions/${accountId}/boundary`,
      harness.adminToken,
      { permissions: ['devices.read'] },
    );
    await harness.call('PUT', '/entitlements/v1/subscription', token, { roles: ['DEVICE_MANUFACTURER'] });

    expect(override.status).toBe(200);
    // The override itself changes no role, so it announces nothing.
    expect(await declaredEventsOf(accountId)).toEqual([
      { accountId, version: 1, roles: [DEVICE_MANUFACTURER] },
      { accountId, version: 2, roles: [DEVICE_MANUFACTURER] },
    ]);
  });

  it('should announce nothing when the declaration is refused', async () => {
    const accountId = `member-${randomUUID().slice(0, 8)}`;
    const token = await harness.clientToken(accountId, ['devices.read']);

    const refused = await harness.call('PUT', '/entitlements/v1/subscription', token, { roles: ['LICENSE_MANAGER'] });

    expect(refused.status).toBe(403);
    expect(await declaredEventsOf(accountId)).toEqual([]);
  });
});
