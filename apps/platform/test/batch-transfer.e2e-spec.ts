import { TestDatabaseModule } from '@flexgalaxy/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DeviceRegistryModule,
  deviceRegistryConfigSchema,
  IDENTITY_PROVIDER,
  IdentityModule,
  identityConfigSchema,
  type IdentityProvider,
} from '@flexgalaxy/adapters';
import { AuthModule } from '@flexgalaxy/auth';
import { PrismaService } from '@flexgalaxy/db';
import { EventsModule, eventsConfigSchema } from '@flexgalaxy/events';
import { OrgModule, orgConfigSchema } from '@flexgalaxy/org';
import { ProvisioningModule, provisioningConfigSchema } from '@flexgalaxy/provisioning';
import { createHttpApp } from '@flexgalaxy/service-kit';
import { DRIVERS, freePort, openTestDatabase, OtaForgeFake, waitFor, type TestDatabase } from '@flexgalaxy/testing';

@Module({})
class BatchTransferE2eModule {}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * seed 000 §5 "Transfer Sequence", through public APIs only: accounts made with org's API,
 * devices enrolled with claim tokens, and DeviceAdmin's batch transfer calling provisioning over
 * HTTP with the caller's own token — so provisioning, not org, decides who may move what.
 */
describe.each(DRIVERS)('DeviceAdmin batch transfer through provisioning on %s', (driver) => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let fake: OtaForgeFake;
  let url: string;
  let scratch: string;
  let identity: IdentityProvider;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Answer> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function tokenFor(accountId: string, permissions: string[]): Promise<string> {
    const { clientId, clientSecret } = await identity.createClient({ accountId, permissions, description: 'e2e' });
    const response = await fetch(identity.tokenEndpoint(), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function enrollPda(account: string): Promise<string> {
    const created = await call('POST', '/provisioning/v1/claim-tokens', tokens[account]!, {
      accountId: ids[account],
      deviceType: 'pda',
    });
    const claim = (created.body['tokens'] as { token: string }[])[0]!.token;
    const enrolled = await call('POST', '/provisioning/v1/enroll', null, {
      scenario: 'field',
      claim_token: claim,
      device_type: 'pda',
      serial: `PDA-${randomBytes(4).toString('hex')}`,
    });
    expect(enrolled.status).toBe(201);
    return String(enrolled.body['deviceId']);
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    scratch = mkdtempSync(join(tmpdir(), 'fg-batch-'));
    fake = await new OtaForgeFake().start();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const adminSecret = randomBytes(32).toString('base64url');
    const identityConfig = identityConfigSchema.parse({
      OIDC_ISSUER_URL: `${url}/oidc`,
      PLATFORM_ADMIN_CLIENT_ID: 'platform-admin',
      PLATFORM_ADMIN_CLIENT_SECRET: adminSecret,
      BOOTSTRAP_CREDENTIALS_FILE: join(scratch, 'admin.json'),
    });
    const root: DynamicModule = {
      module: BatchTransferE2eModule,
      imports: [
        TestDatabaseModule.over(db),
        EventsModule.forRoot(eventsConfigSchema.parse({ EVENTS_POLL_INTERVAL_MS: '50' })),
        AuthModule.forRoot({
          OIDC_ISSUER_URL: identityConfig.OIDC_ISSUER_URL,
          OIDC_AUDIENCE: identityConfig.OIDC_AUDIENCE,
        }),
        IdentityModule.forRoot(identityConfig),
        DeviceRegistryModule.forRoot(deviceRegistryConfigSchema.parse({ MQTT_PORT: '0' })),
        OrgModule.forRoot(orgConfigSchema({ defaultPort: port }).parse({ TRANSFER_CONCURRENCY: '2' })),
        ProvisioningModule.forRoot(
          provisioningConfigSchema({ defaultPort: port }).parse({
            OTA_FORGE_URL: fake.url,
            DEVICE_TLS_PORT: '0',
            PROVISIONING_KEY_FILE: join(scratch, 'encryption.key'),
          }),
        ),
      ],
    };
    app = await createHttpApp(root, { service: 'batch-e2e', logLevel: 'silent' });
    await app.listen(port, '127.0.0.1');
    identity = app.get<IdentityProvider>(IDENTITY_PROVIDER);
    const admin = await tokenFor('platform', ['platform.admin']);
    const writer = ['accounts.read', 'accounts.write', 'devices.read', 'devices.write', 'claim-tokens.write'];
    const create = async (name: string, kind: string, parent?: string) => {
      const created = await call(
        'POST',
        parent ? `/org/v1/accounts/${ids[parent]}/children` : '/org/v1/accounts',
        parent ? tokens[parent]! : admin,
        { name, kind },
      );
      expect(created.status).toBe(201);
      ids[name] = String(created.body['id']);
      tokens[name] = await tokenFor(ids[name]!, writer);
    };
    await create('RoboMake', 'maker');
    await create('Japan', 'member', 'RoboMake');
    await create('China', 'member', 'RoboMake');
    await create('Warehouse A', 'end_user', 'Japan');
    // Provisioning learns accounts from org.account.created.
    const prisma = app.get(PrismaService);
    await waitFor(async () => (await prisma.provisioningAccount.count()) === 4, 20_000);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await db?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("should move Japan's robots to Warehouse A and report the ones it could not move", async () => {
    const movable = [await enrollPda('Japan'), await enrollPda('Japan'), await enrollPda('Japan')];
    const suspended = await enrollPda('Japan');
    expect((await call('POST', `/provisioning/v1/devices/${suspended}/suspend`, tokens['Japan']!)).status).toBe(200);
    const chinas = await enrollPda('China');

    const answer = await call('POST', '/deviceadmin/v1/transfers', tokens['Japan']!, {
      deviceIds: [...movable, suspended, chinas, 'no-such-device'],
      targetAccountId: ids['Warehouse A'],
    });

    expect(answer.status).toBe(207);
    expect(answer.body).toMatchObject({ total: 6, succeeded: 3, failed: 3 });
    const results = answer.body['results'] as {
      deviceId: string;
      status: string;
      httpStatus: number;
      error?: { code: string };
    }[];
    expect(results.map((result) => [result.status, result.httpStatus, result.error?.code ?? null])).toEqual([
      ['transferred', 200, null],
      ['transferred', 200, null],
      ['transferred', 200, null],
      ['failed', 409, 'DEVICE.ILLEGAL_TRANSITION'],
      // A sibling's device is "not found" to Japan, exactly like a missing one.
      ['failed', 404, 'DEVICE.NOT_FOUND'],
      ['failed', 404, 'DEVICE.NOT_FOUND'],
    ]);
    for (const deviceId of movable) {
      const seen = await call('GET', `/provisioning/v1/devices/${deviceId}`, tokens['Warehouse A']!);
      expect(seen.body).toMatchObject({ accountId: ids['Warehouse A'], readOnly: false });
      expect(fake.targets.get(deviceId)?.accountId).toBe(ids['Warehouse A']);
    }
    const china = await call('GET', `/provisioning/v1/devices/${chinas}`, tokens['China']!);
    expect(china.body['accountId']).toBe(ids['China']);
    // DeviceAdmin's fleet view follows from device.transferred.
    await waitFor(async () => {
      const fleet = await call(
        'GET',
        `/deviceadmin/v1/devices?accountId=${ids['Warehouse A']}`,
        tokens['Warehouse A']!,
      );
      return fleet.body['total'] === 3;
    }, 20_000);
  });
});
