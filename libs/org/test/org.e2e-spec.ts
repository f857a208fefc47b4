import { clientCredentialsToken, TestDatabaseModule } from '@flexgalaxy/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IdentityModule, identityConfigSchema } from '@flexgalaxy/adapters';
import { AuthModule } from '@flexgalaxy/auth';
import type { EventMap, EventType } from '@flexgalaxy/contracts';
import { PrismaService } from '@flexgalaxy/db';
import { EventsModule, eventsConfigSchema, OutboxWriter } from '@flexgalaxy/events';
import { OrgModule } from '@flexgalaxy/org';
import { createHttpApp } from '@flexgalaxy/service-kit';
import { DRIVERS, openTestDatabase, waitFor, type TestDatabase } from '@flexgalaxy/testing';
import { provisionedPayload, transferredPayload } from './builders.js';

@Module({})
class OrgE2eModule {}

/** The embedded issuer's URL is its `iss`, fixed before the app listens: so the port is picked first. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface AccountBody {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  readOnly: boolean;
}

interface DeviceBody {
  id: string;
  ownerAccountId: string;
  readOnly: boolean;
}

interface PageBody<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

const ACCOUNT_PERMISSIONS = [
  'accounts.read',
  'accounts.write',
  'devices.read',
  'service-users.read',
  'service-users.write',
];

describe.each(DRIVERS)('Org service over HTTP on %s (seed 000 multi-tier device scoping)', (driver) => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let tokenEndpoint: string;
  let scratch: string;
  let adminToken: string;

  const accounts: Record<string, AccountBody> = {};
  const tokens: Record<string, string> = {};
  const deviceIds = Array.from({ length: 100 }, (_, i) => `amr-x1-${String(i + 1).padStart(3, '0')}`);
  // seed 000 "Account Hierarchy": who ends up owning which of the 100 robots.
  const devicesOf = {
    China: deviceIds.slice(0, 20),
    Japan: deviceIds.slice(65, 80),
    'Warehouse A': deviceIds.slice(20, 50),
    'Factory B': deviceIds.slice(50, 65),
    US: deviceIds.slice(80, 95),
    Singapore: deviceIds.slice(95, 100),
  };

  async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  const tokenFor = (clientId: string, clientSecret: string) =>
    clientCredentialsToken(tokenEndpoint, clientId, clientSecret);

  async function tokenStatus(clientId: string, clientSecret: string): Promise<number> {
    return tokenFor(clientId, clientSecret).then(
      () => 200,
      () => 401,
    );
  }

  /** Gives an account a service user (created by the platform admin) and keeps its token. */
  async function signInAs(name: string): Promise<void> {
    const created = await call('POST', `/org/v1/accounts/${accounts[name]?.id}/service-users`, adminToken, {
      description: `${name} automation`,
      permissions: ACCOUNT_PERMISSIONS,
    });
    expect(created.status).toBe(201);
    tokens[name] = await tokenFor(String(created.body['clientId']), String(created.body['clientSecret']));
  }

  async function createTopLevel(name: string, kind: string): Promise<void> {
    const created = await call('POST', '/org/v1/accounts', adminToken, { name, kind });
    expect(created.status).toBe(201);
    accounts[name] = created.body as unknown as AccountBody;
  }

  async function createChild(parent: string, name: string, kind: string): Promise<void> {
    const created = await call('POST', `/org/v1/accounts/${accounts[parent]?.id}/children`, tokens[parent] ?? null, {
      name,
      kind,
    });
    expect(created.status).toBe(201);
    accounts[name] = created.body as unknown as AccountBody;
  }

  const id = (name: string): string => accounts[name]?.id ?? 'missing';

  /** Appends events as their producer would, then waits until the projection consumer applied them. */
  async function publish(
    events: { type: EventType; payload: EventMap[EventType]; accountId: string; deviceId: string }[],
  ) {
    const prisma = app.get(PrismaService);
    const writer = app.get(OutboxWriter);
    const consumer = 'org.device-ownership';
    const before = await prisma.processedEvent.count({ where: { consumer } });
    await prisma.$transaction(async (tx) => {
      for (const event of events) {
        await writer.append(tx, event.type, event.payload, { accountId: event.accountId, deviceId: event.deviceId });
      }
    });
    await waitFor(
      async () => (await prisma.processedEvent.count({ where: { consumer } })) >= before + events.length,
      30_000,
    );
  }

  function transfers(ids: string[], from: string, to: string) {
    return ids.map((deviceId) => ({
      type: 'device.transferred' as const,
      payload: transferredPayload(deviceId, id(from), id(to)),
      accountId: id(to),
      deviceId,
    }));
  }

  async function allDevicesSeenBy(name: string): Promise<DeviceBody[]> {
    const seen: DeviceBody[] = [];
    let cursor: string | null = null;
    do {
      const query = cursor ? `?limit=40&cursor=${encodeURIComponent(cursor)}` : '?limit=40';
      const page = await call('GET', `/deviceadmin/v1/devices${query}`, tokens[name] ?? null);
      expect(page.status).toBe(200);
      const body = page.body as unknown as PageBody<DeviceBody>;
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return seen;
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    scratch = mkdtempSync(join(tmpdir(), 'fg-org-e2e-'));
    const port = await freePort();
    const adminSecret = randomBytes(32).toString('base64url');
    const identity = identityConfigSchema.parse({
      OIDC_ISSUER_URL: `http://127.0.0.1:${port}/oidc`,
      PLATFORM_ADMIN_CLIENT_ID: 'platform-admin',
      PLATFORM_ADMIN_CLIENT_SECRET: adminSecret,
      BOOTSTRAP_CREDENTIALS_FILE: join(scratch, 'bootstrap-admin.json'),
    });
    const root: DynamicModule = {
      module: OrgE2eModule,
      imports: [
        TestDatabaseModule.over(db),
        AuthModule.forRoot({ OIDC_ISSUER_URL: identity.OIDC_ISSUER_URL, OIDC_AUDIENCE: identity.OIDC_AUDIENCE }),
        EventsModule.forRoot(eventsConfigSchema.parse({ EVENTS_POLL_INTERVAL_MS: '50' })),
        IdentityModule.forRoot(identity),
        OrgModule,
      ],
    };
    app = await createHttpApp(root, { service: 'org-e2e', logLevel: 'silent' });
    await app.listen({ port, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${port}`;
    tokenEndpoint = `${identity.OIDC_ISSUER_URL}/token`;
    adminToken = await tokenFor('platform-admin', adminSecret);

    // seed 000 "Account Hierarchy", built through the API by the parties themselves.
    await createTopLevel('SyriusSoft', 'developer');
    await createTopLevel('RoboMake', 'maker');
    await signInAs('SyriusSoft');
    await signInAs('RoboMake');
    for (const distributor of ['China', 'Japan', 'US', 'Singapore'])
      await createChild('RoboMake', distributor, 'member');
    for (const distributor of ['China', 'Japan', 'US', 'Singapore']) await signInAs(distributor);
    await createChild('Japan', 'Warehouse A', 'end_user');
    await createChild('Japan', 'Factory B', 'end_user');
    await signInAs('Warehouse A');
    await signInAs('Factory B');

    // 100 AMR-X1 robots enrolled by RoboMake.
    await publish(
      deviceIds.map((deviceId) => ({
        type: 'device.provisioned' as const,
        payload: provisionedPayload(deviceId, id('RoboMake')),
        accountId: id('RoboMake'),
        deviceId,
      })),
    );
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('before distribution', () => {
    it('should show RoboMake all 100 robots as its own', async () => {
      const seen = await allDevicesSeenBy('RoboMake');
      expect(seen).toHaveLength(100);
      expect(seen.every((device) => device.ownerAccountId === id('RoboMake') && !device.readOnly)).toBe(true);
    });

    it('should answer Warehouse A asking for a RoboMake-retained robot exactly as for a missing one', async () => {
      const upward = await call('GET', `/deviceadmin/v1/devices/${deviceIds[0]}`, tokens['Warehouse A'] ?? null);
      const missing = await call('GET', '/deviceadmin/v1/devices/amr-x1-does-not-exist', tokens['Warehouse A'] ?? null);
      expect(upward.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(upward.body['code']).toBe('DEVICE.NOT_FOUND');
      expect(withoutRequestId(upward.body)).toEqual(
        withoutRequestId({ ...missing.body, details: { deviceId: deviceIds[0] } }),
      );
    });
  });

  describe('after distribution (seed 000 §5 visibility table)', () => {
    beforeAll(async () => {
      await publish([
        ...transfers(devicesOf.China, 'RoboMake', 'China'),
        ...transfers(deviceIds.slice(20, 80), 'RoboMake', 'Japan'),
        ...transfers(devicesOf.US, 'RoboMake', 'US'),
        ...transfers(devicesOf.Singapore, 'RoboMake', 'Singapore'),
      ]);
      await publish([
        ...transfers(devicesOf['Warehouse A'], 'Japan', 'Warehouse A'),
        ...transfers(devicesOf['Factory B'], 'Japan', 'Factory B'),
      ]);
    });

    it.each([
      { actor: 'RoboMake', count: 100, owned: 0 },
      { actor: 'China', count: 20, owned: 20 },
      { actor: 'Japan', count: 60, owned: 15 },
      { actor: 'US', count: 15, owned: 15 },
      { actor: 'Singapore', count: 5, owned: 5 },
      { actor: 'Warehouse A', count: 30, owned: 30 },
      { actor: 'Factory B', count: 15, owned: 15 },
      { actor: 'SyriusSoft', count: 0, owned: 0 },
    ])('should show $actor $count robots, $owned of them its own', async ({ actor, count, owned }) => {
      const list = await call('GET', '/deviceadmin/v1/devices?limit=1', tokens[actor] ?? null);
      expect(list.status).toBe(200);
      expect(list.body['total']).toBe(count);

      const seen = await allDevicesSeenBy(actor);
      expect(seen).toHaveLength(count);
      // Own devices are writable; those seen through a descendant are read-only (seed 000 §5).
      expect(seen.filter((device) => !device.readOnly).map((device) => device.ownerAccountId)).toEqual(
        Array(owned).fill(id(actor)),
      );
      expect(seen.filter((device) => device.readOnly).every((device) => device.ownerAccountId !== id(actor))).toBe(
        true,
      );

      const counts = await call('GET', `/deviceadmin/v1/accounts/${id(actor)}/device-count`, tokens[actor] ?? null);
      expect(counts).toEqual({ status: 200, body: { accountId: id(actor), owned, total: count } });
    });

    it("should show Japan exactly its own 15 and Warehouse A's 30 and Factory B's 15", async () => {
      const seen = await allDevicesSeenBy('Japan');
      expect(seen.map((device) => device.id).sort()).toEqual(
        [...devicesOf.Japan, ...devicesOf['Warehouse A'], ...devicesOf['Factory B']].sort(),
      );
    });

    it('should filter the fleet view by account, model and state', async () => {
      const byAccount = await call(
        'GET',
        `/deviceadmin/v1/devices?accountId=${id('Warehouse A')}`,
        tokens['Japan'] ?? null,
      );
      expect(byAccount.body['total']).toBe(30);
      const byModel = await call(
        'GET',
        '/deviceadmin/v1/devices?type=amr&model=X1&state=FIELD_ACTIVE',
        tokens['RoboMake'] ?? null,
      );
      expect(byModel.body['total']).toBe(100);
      const none = await call('GET', '/deviceadmin/v1/devices?model=X2', tokens['RoboMake'] ?? null);
      expect(none.body['total']).toBe(0);
      // A filter cannot widen the scope: China asking for Japan's devices gets none.
      const sibling = await call('GET', `/deviceadmin/v1/devices?accountId=${id('Japan')}`, tokens['China'] ?? null);
      expect(sibling.body).toMatchObject({ items: [], total: 0 });
    });

    it('should answer China asking for a Japan robot exactly as for a robot that does not exist', async () => {
      const japanDevice = devicesOf.Japan[0] ?? '';
      const sibling = await call('GET', `/deviceadmin/v1/devices/${japanDevice}`, tokens['China'] ?? null);
      const missing = await call('GET', `/deviceadmin/v1/devices/${japanDevice}-nope`, tokens['China'] ?? null);
      expect(sibling.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(withoutRequestId(sibling.body)).toEqual({
        code: 'DEVICE.NOT_FOUND',
        message: 'device not found',
        details: { deviceId: japanDevice },
      });
      expect(withoutRequestId(missing.body)).toEqual({
        code: 'DEVICE.NOT_FOUND',
        message: 'device not found',
        details: { deviceId: `${japanDevice}-nope` },
      });
    });

    it("should answer Warehouse A asking for its parent Japan's robot with 404", async () => {
      const upward = await call('GET', `/deviceadmin/v1/devices/${devicesOf.Japan[0]}`, tokens['Warehouse A'] ?? null);
      expect(upward.status).toBe(404);
      expect(upward.body['code']).toBe('DEVICE.NOT_FOUND');
    });

    it('should show Japan a Warehouse A robot read-only, and Warehouse A the same robot as its own', async () => {
      const robot = devicesOf['Warehouse A'][0];
      const fromJapan = await call('GET', `/deviceadmin/v1/devices/${robot}`, tokens['Japan'] ?? null);
      const fromWarehouse = await call('GET', `/deviceadmin/v1/devices/${robot}`, tokens['Warehouse A'] ?? null);
      expect(fromJapan.body).toMatchObject({
        id: robot,
        ownerAccountId: id('Warehouse A'),
        readOnly: true,
        state: 'FIELD_ACTIVE',
      });
      expect(fromWarehouse.body).toMatchObject({ id: robot, ownerAccountId: id('Warehouse A'), readOnly: false });
    });

    it("should answer 404 for device counts of an account outside the caller's subtree", async () => {
      const sibling = await call(
        'GET',
        `/deviceadmin/v1/accounts/${id('Japan')}/device-count`,
        tokens['China'] ?? null,
      );
      expect(sibling.status).toBe(404);
      expect(sibling.body['code']).toBe('ACCOUNT.NOT_FOUND');
    });
  });

  describe('accounts', () => {
    it('should list an account and its descendants, never its parent or siblings', async () => {
      const japan = await call('GET', '/org/v1/accounts', tokens['Japan'] ?? null);
      const names = (japan.body as unknown as PageBody<AccountBody>).items.map((account) => account.name).sort();
      expect(names).toEqual(['Factory B', 'Japan', 'Warehouse A']);
      expect(japan.body['total']).toBe(3);
    });

    it('should page through all accounts of the platform admin with a cursor', async () => {
      const first = await call('GET', '/org/v1/accounts?limit=5', adminToken);
      const second = await call('GET', `/org/v1/accounts?limit=5&cursor=${first.body['nextCursor']}`, adminToken);
      const ids = [...(first.body['items'] as AccountBody[]), ...(second.body['items'] as AccountBody[])].map(
        (account) => account.id,
      );
      expect(first.body['total']).toBe(8);
      expect(new Set(ids).size).toBe(8);
      expect(second.body['nextCursor']).toBeNull();
    });

    it("should list an account's direct children", async () => {
      const children = await call('GET', `/org/v1/accounts/${id('RoboMake')}/children`, tokens['RoboMake'] ?? null);
      const names = (children.body['items'] as AccountBody[]).map((account) => account.name).sort();
      expect(names).toEqual(['China', 'Japan', 'Singapore', 'US']);
      expect((children.body['items'] as AccountBody[]).every((account) => account.readOnly)).toBe(true);
    });

    it.each([
      { who: 'China', what: 'its sibling Japan', target: 'Japan' },
      { who: 'Warehouse A', what: 'its parent Japan', target: 'Japan' },
      { who: 'SyriusSoft', what: "another organisation's root", target: 'RoboMake' },
    ])('should answer $who reading $what with the same 404 as a missing account', async ({ who, target }) => {
      const other = await call('GET', `/org/v1/accounts/${id(target)}`, tokens[who] ?? null);
      const missingId = randomUUID();
      const missing = await call('GET', `/org/v1/accounts/${missingId}`, tokens[who] ?? null);
      expect(other.status).toBe(404);
      expect(withoutRequestId(other.body)).toEqual({
        code: 'ACCOUNT.NOT_FOUND',
        message: 'account not found',
        details: { accountId: id(target) },
      });
      expect(withoutRequestId(missing.body)).toEqual({
        code: 'ACCOUNT.NOT_FOUND',
        message: 'account not found',
        details: { accountId: missingId },
      });
    });

    it('should show a parent its child read-only', async () => {
      const japan = await call('GET', `/org/v1/accounts/${id('Japan')}`, tokens['RoboMake'] ?? null);
      expect(japan).toMatchObject({
        status: 200,
        body: { id: id('Japan'), kind: 'member', parentId: id('RoboMake'), readOnly: true },
      });
      expect(japan.body).not.toHaveProperty('path');
    });

    it('should record org.account.created with the ancestor path for every account', async () => {
      const events = await app
        .get(PrismaService)
        .outboxEvent.findMany({ where: { type: 'org.account.created', accountId: id('Warehouse A') } });
      expect(events).toHaveLength(1);
      expect(events[0]?.payload).toMatchObject({
        accountId: id('Warehouse A'),
        kind: 'end_user',
        parentAccountId: id('Japan'),
        orgRootAccountId: id('RoboMake'),
        path: `/${id('RoboMake')}/${id('Japan')}/${id('Warehouse A')}/`,
      });
    });
  });

  describe('refused requests change nothing', () => {
    async function snapshot() {
      const prisma = app.get(PrismaService);
      return {
        accounts: await prisma.account.count(),
        events: await prisma.outboxEvent.count({ where: { type: 'org.account.created' } }),
      };
    }

    it.each([
      { case: 'a member at the top level', body: { name: 'Rogue', kind: 'member' }, field: 'body.kind' },
      { case: 'an unknown kind', body: { name: 'Rogue', kind: 'reseller' }, field: 'body.kind' },
      { case: 'a missing name', body: { kind: 'maker' }, field: 'body.name' },
      { case: 'an unknown key', body: { name: 'Rogue', kind: 'maker', parentId: 'x' }, field: 'body' },
    ])('should answer 400 naming $field for $case', async ({ body, field }) => {
      const before = await snapshot();
      const answer = await call('POST', '/org/v1/accounts', adminToken, body);
      expect(answer.status).toBe(400);
      expect(answer.body['code']).toBe('REQUEST.INVALID');
      const paths = (answer.body['details'] as { issues: { path: string }[] }).issues.map((issue) => issue.path);
      expect(paths).toContain(field);
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      {
        case: 'a member under a member',
        parent: 'Japan',
        who: 'Japan',
        kind: 'member',
        status: 400,
        code: 'ACCOUNT.INVALID_HIERARCHY',
      },
      {
        case: 'an end user directly under the maker',
        parent: 'RoboMake',
        who: 'RoboMake',
        kind: 'end_user',
        status: 400,
        code: 'ACCOUNT.INVALID_HIERARCHY',
      },
      {
        case: 'a child under an end user',
        parent: 'Warehouse A',
        who: 'Warehouse A',
        kind: 'end_user',
        status: 400,
        code: 'ACCOUNT.INVALID_HIERARCHY',
      },
      {
        case: 'a customer of Japan created by RoboMake (read-only downward)',
        parent: 'Japan',
        who: 'RoboMake',
        kind: 'end_user',
        status: 403,
        code: 'ACCOUNT.READ_ONLY',
      },
      {
        case: 'a customer of Japan created by China (sibling)',
        parent: 'Japan',
        who: 'China',
        kind: 'end_user',
        status: 404,
        code: 'ACCOUNT.NOT_FOUND',
      },
    ])('should refuse $case with $code', async ({ parent, who, kind, status, code }) => {
      const before = await snapshot();
      const answer = await call('POST', `/org/v1/accounts/${id(parent)}/children`, tokens[who] ?? null, {
        name: 'Rogue',
        kind,
      });
      expect({ status: answer.status, code: answer.body['code'] }).toEqual({ status, code });
      expect(await snapshot()).toEqual(before);
    });

    it('should let only platform admins create top-level accounts', async () => {
      const answer = await call('POST', '/org/v1/accounts', tokens['RoboMake'] ?? null, {
        name: 'Rogue',
        kind: 'maker',
      });
      expect({ status: answer.status, code: answer.body['code'] }).toEqual({ status: 403, code: 'AUTH.FORBIDDEN' });
    });

    it('should answer 401 without a token', async () => {
      const answer = await call('GET', '/deviceadmin/v1/devices', null);
      expect({ status: answer.status, code: answer.body['code'] }).toEqual({
        status: 401,
        code: 'AUTH.UNAUTHENTICATED',
      });
    });

    it('should answer 400 naming query.cursor for a forged cursor', async () => {
      const answer = await call('GET', '/deviceadmin/v1/devices?cursor=not-a-cursor', tokens['RoboMake'] ?? null);
      expect(answer.status).toBe(400);
      expect((answer.body['details'] as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual([
        'query.cursor',
      ]);
    });
  });

  it('should describe every org and DeviceAdmin route in the OpenAPI document', async () => {
    const docs = await call('GET', '/docs/json', null);
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body['paths'] as Record<string, unknown>)).toEqual(
      expect.arrayContaining([
        '/org/v1/accounts',
        '/org/v1/accounts/{id}',
        '/org/v1/accounts/{id}/children',
        '/org/v1/accounts/{id}/service-users',
        '/org/v1/accounts/{id}/service-users/{clientId}/rotate',
        '/org/v1/accounts/{id}/service-users/{clientId}',
        '/deviceadmin/v1/devices',
        '/deviceadmin/v1/devices/{id}',
        '/deviceadmin/v1/accounts/{id}/device-count',
      ]),
    );
  });

  describe('service users (AdminCenter, seed 001)', () => {
    const path = () => `/org/v1/accounts/${id('China')}/service-users`;

    it('should issue a secret once, list without it, rotate it and delete the client', async () => {
      const created = await call('POST', path(), tokens['China'] ?? null, {
        description: 'fleet sync',
        permissions: ['devices.read'],
      });
      expect(created.status).toBe(201);
      const clientId = String(created.body['clientId']);
      const firstSecret = String(created.body['clientSecret']);
      expect(created.body).toMatchObject({ accountId: id('China'), permissions: ['devices.read'], tokenEndpoint });

      const listed = await call('GET', path(), tokens['China'] ?? null);
      const mine = (listed.body['items'] as Record<string, unknown>[]).find((user) => user['clientId'] === clientId);
      expect(mine).toEqual({
        clientId,
        accountId: id('China'),
        description: 'fleet sync',
        permissions: ['devices.read'],
        createdAt: expect.any(String),
        secretRotatedAt: null,
      });

      const token = await tokenFor(clientId, firstSecret);
      expect((await call('GET', '/deviceadmin/v1/devices?limit=1', token)).body['total']).toBe(20);
      // It was granted devices.read only.
      expect((await call('GET', '/org/v1/accounts', token)).status).toBe(403);

      const rotated = await call('POST', `${path()}/${clientId}/rotate`, tokens['China'] ?? null);
      expect(rotated.status).toBe(200);
      expect(await tokenStatus(clientId, firstSecret)).toBe(401);
      expect(await tokenStatus(clientId, String(rotated.body['clientSecret']))).toBe(200);

      expect((await call('DELETE', `${path()}/${clientId}`, tokens['China'] ?? null)).status).toBe(204);
      expect(await tokenStatus(clientId, String(rotated.body['clientSecret']))).toBe(401);
      expect((await call('DELETE', `${path()}/${clientId}`, tokens['China'] ?? null)).body['code']).toBe(
        'SERVICE_USER.NOT_FOUND',
      );
    });

    it('should refuse to grant a permission the caller does not hold', async () => {
      const answer = await call('POST', path(), tokens['China'] ?? null, {
        description: 'escalation',
        permissions: ['devices.read', 'licenses.write'],
      });
      expect(answer).toMatchObject({
        status: 403,
        body: { code: 'SERVICE_USER.PERMISSIONS_NOT_GRANTABLE', details: { permissions: ['licenses.write'] } },
      });
    });

    it("should let a parent list a child's service users but not create them", async () => {
      expect((await call('GET', path(), tokens['RoboMake'] ?? null)).status).toBe(200);
      const create = await call('POST', path(), tokens['RoboMake'] ?? null, {
        description: 'x',
        permissions: ['devices.read'],
      });
      expect({ status: create.status, code: create.body['code'] }).toEqual({ status: 403, code: 'ACCOUNT.READ_ONLY' });
      const sibling = await call('GET', path(), tokens['Japan'] ?? null);
      expect({ status: sibling.status, code: sibling.body['code'] }).toEqual({
        status: 404,
        code: 'ACCOUNT.NOT_FOUND',
      });
    });
  });
});

function withoutRequestId(body: Record<string, unknown>): Record<string, unknown> {
  const { requestId: _ignored, ...rest } = body;
  return rest;
}
