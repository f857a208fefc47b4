import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { IdentityProviderUnavailableError, type IssuedClientCredentials } from '@flexgalaxy/adapters';
import type { EventMap, PlatformEvent } from '@flexgalaxy/contracts';
import { PrismaService } from '@flexgalaxy/db';
import {
  clientCredentialsToken,
  DRIVERS,
  openTestDatabase,
  startServiceHarness,
  type ServiceHarness,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { OrgModule } from '../org.module.js';
import { ApplyIdentityRolesOnRolesDeclaredHandler } from './handlers/apply-identity-roles-on-roles-declared.handler.js';

const CONSUMER = 'org.identity-roles';
const DEVICE_MANUFACTURER = {
  name: 'DEVICE_MANUFACTURER',
  permissions: ['certificates.read', 'devices.read', 'devices.write', 'events.read'],
};
const LICENSE_MANAGER = {
  name: 'LICENSE_MANAGER',
  permissions: ['approvals.read', 'approvals.write', 'devices.read', 'licenses.read'],
};

type Declared = EventMap['trust_mint.roles.declared'];

function rolesClaimOf(token: string): unknown {
  const [, payload] = token.split('.');
  return (JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>)['roles'];
}

describe.each(DRIVERS)('TrustMint roles at the identity provider (org.identity-roles) on %s', (driver) => {
  let db: TestDatabase;
  let harness: ServiceHarness;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    harness = await startServiceHarness(db, { imports: [OrgModule] });
  });
  afterAll(async () => {
    await harness?.close();
    await db?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  async function accountWithClient(): Promise<{ accountId: string; client: IssuedClientCredentials }> {
    const accountId = `acct-${randomUUID().slice(0, 8)}`;
    const client = await harness.identity.createClient({ accountId, permissions: ['devices.read'], description: 't' });
    return { accountId, client };
  }

  async function rolesInToken(client: IssuedClientCredentials): Promise<unknown> {
    return rolesClaimOf(
      await clientCredentialsToken(harness.identity.tokenEndpoint(), client.clientId, client.clientSecret),
    );
  }

  function declare(accountId: string, version: number, roles: Declared['roles']) {
    return harness.publish(
      [{ type: 'trust_mint.roles.declared', payload: { accountId, version, roles }, accountId }],
      [CONSUMER],
    );
  }

  it("should give the account's clients the declared roles, named after TrustMint", async () => {
    const { accountId, client } = await accountWithClient();

    await declare(accountId, 1, [DEVICE_MANUFACTURER, LICENSE_MANAGER]);

    expect(await rolesInToken(client)).toEqual(['trust-mint:DEVICE_MANUFACTURER', 'trust-mint:LICENSE_MANAGER']);
    expect(await harness.identity.getAccountRoles(accountId)).toEqual({
      accountId,
      version: 1,
      roles: [
        { name: 'trust-mint:DEVICE_MANUFACTURER', permissions: DEVICE_MANUFACTURER.permissions },
        { name: 'trust-mint:LICENSE_MANAGER', permissions: LICENSE_MANAGER.permissions },
      ],
    });
  });

  it('should change nothing when the same event is handled again', async () => {
    const { accountId, client } = await accountWithClient();
    const [eventId] = await declare(accountId, 3, [DEVICE_MANUFACTURER]);
    const redelivered: PlatformEvent<'trust_mint.roles.declared'> = {
      id: eventId!,
      type: 'trust_mint.roles.declared',
      version: 1,
      occurredAt: new Date().toISOString(),
      accountId,
      deviceId: null,
      payload: { accountId, version: 3, roles: [DEVICE_MANUFACTURER] },
    };
    const handler = harness.app.get(ApplyIdentityRolesOnRolesDeclaredHandler);

    // What a Kafka redelivery after a lost commit does: the handler runs again, outside the dedup.
    await harness.app.get(PrismaService).$transaction((tx) => handler.handle(redelivered, tx));
    await harness.app.get(PrismaService).$transaction((tx) => handler.handle(redelivered, tx));

    expect(await rolesInToken(client)).toEqual(['trust-mint:DEVICE_MANUFACTURER']);
    expect(await harness.identity.getAccountRoles(accountId)).toMatchObject({ version: 3 });
  });

  it('should not let an out-of-date declaration overwrite a newer one', async () => {
    const { accountId, client } = await accountWithClient();

    await declare(accountId, 2, [LICENSE_MANAGER]);
    await declare(accountId, 1, [DEVICE_MANUFACTURER]);

    expect(await rolesInToken(client)).toEqual(['trust-mint:LICENSE_MANAGER']);
    expect(await harness.identity.getAccountRoles(accountId)).toMatchObject({ version: 2 });
  });

  it('should follow a newer declaration, down to no roles at all', async () => {
    const { accountId, client } = await accountWithClient();

    await declare(accountId, 1, [DEVICE_MANUFACTURER, LICENSE_MANAGER]);
    await declare(accountId, 2, [LICENSE_MANAGER]);
    const narrowed = await rolesInToken(client);
    await declare(accountId, 3, []);

    expect(narrowed).toEqual(['trust-mint:LICENSE_MANAGER']);
    expect(await rolesInToken(client)).toBeUndefined();
  });

  it('should retry while the identity provider is unreachable and apply the declaration once it answers', async () => {
    const { accountId, client } = await accountWithClient();
    const unreachable = new IdentityProviderUnavailableError('setAccountRoles', new Error('connect ECONNREFUSED'));
    const setAccountRoles = jest
      .spyOn(harness.identity, 'setAccountRoles')
      .mockRejectedValueOnce(unreachable)
      .mockRejectedValueOnce(unreachable);

    await declare(accountId, 1, [DEVICE_MANUFACTURER]);

    expect(setAccountRoles).toHaveBeenCalledTimes(3);
    expect(await rolesInToken(client)).toEqual(['trust-mint:DEVICE_MANUFACTURER']);
    expect(await harness.app.get(PrismaService).deadLetter.count({ where: { consumer: CONSUMER } })).toBe(0);
  });

  it('should let the handler fail, for the event to be retried, when the identity provider stays unreachable', async () => {
    const { accountId } = await accountWithClient();
    jest
      .spyOn(harness.identity, 'setAccountRoles')
      .mockRejectedValue(new IdentityProviderUnavailableError('setAccountRoles', new Error('connect ECONNREFUSED')));
    const handler = harness.app.get(ApplyIdentityRolesOnRolesDeclaredHandler);
    const event: PlatformEvent<'trust_mint.roles.declared'> = {
      id: randomUUID(),
      type: 'trust_mint.roles.declared',
      version: 1,
      occurredAt: new Date().toISOString(),
      accountId,
      deviceId: null,
      payload: { accountId, version: 1, roles: [DEVICE_MANUFACTURER] },
    };

    await expect(harness.app.get(PrismaService).$transaction((tx) => handler.handle(event, tx))).rejects.toMatchObject({
      code: 'IDENTITY.PROVIDER_UNAVAILABLE',
    });
    expect(await harness.identity.getAccountRoles(accountId)).toBeNull();
  });
});
