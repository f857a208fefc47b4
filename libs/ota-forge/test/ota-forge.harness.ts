import { TestDatabaseModule } from '@flexgalaxy/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DEVICE_REGISTRY,
  DeviceRegistryModule,
  deviceRegistryConfigSchema,
  EmbeddedMqttBroker,
  IDENTITY_PROVIDER,
  IdentityModule,
  identityConfigSchema,
  type DeviceRegistry,
  type IdentityProvider,
} from '@flexgalaxy/adapters';
import { AuthModule } from '@flexgalaxy/auth';
import type { EventMap, EventType } from '@flexgalaxy/contracts';
import { PrismaService } from '@flexgalaxy/db';
import { EventsModule, eventsConfigSchema, OutboxWriter } from '@flexgalaxy/events';
import { createHttpApp } from '@flexgalaxy/service-kit';
import { openTestDatabase, waitFor, type TestDatabase } from '@flexgalaxy/testing';
import { OtaForgeModule, otaForgeConfigSchema } from '../src/index.js';

// The same stand-in as the org e2e's (libs/org/test): an app over an already open test database.
// Worth moving into @flexgalaxy/testing once a third suite needs it.

@Module({})
class OtaForgeE2eModule {}

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

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  raw: Buffer;
}

export const OTA_CONSUMERS = [
  'ota-forge.device-targets',
  'ota-forge.accounts',
  'ota-forge.marketplace-grants',
  'ota-forge.listings',
] as const;

/** OTA Forge over real HTTP on a real database, with the embedded issuer and MQTT broker. */
export class OtaForgeHarness {
  app!: NestFastifyApplication;
  db!: TestDatabase;
  baseUrl = '';
  adminToken = '';
  artifactsDir = '';
  private tokenEndpoint = '';
  private scratch = '';

  async start(driver: 'postgres' | 'pglite', env: Record<string, string> = {}): Promise<void> {
    this.db = await openTestDatabase(driver);
    this.scratch = mkdtempSync(join(tmpdir(), 'fg-ota-e2e-'));
    this.artifactsDir = join(this.scratch, 'artifacts');
    const port = await freePort();
    const adminSecret = randomBytes(32).toString('base64url');
    const identity = identityConfigSchema.parse({
      OIDC_ISSUER_URL: `http://127.0.0.1:${port}/oidc`,
      PLATFORM_ADMIN_CLIENT_ID: 'platform-admin',
      PLATFORM_ADMIN_CLIENT_SECRET: adminSecret,
      BOOTSTRAP_CREDENTIALS_FILE: join(this.scratch, 'bootstrap-admin.json'),
    });
    const root: DynamicModule = {
      module: OtaForgeE2eModule,
      imports: [
        TestDatabaseModule.over(this.db),
        AuthModule.forRoot({ OIDC_ISSUER_URL: identity.OIDC_ISSUER_URL, OIDC_AUDIENCE: identity.OIDC_AUDIENCE }),
        EventsModule.forRoot(eventsConfigSchema.parse({ EVENTS_POLL_INTERVAL_MS: '50' })),
        IdentityModule.forRoot(identity),
        DeviceRegistryModule.forRoot(
          deviceRegistryConfigSchema.parse({ MQTT_PORT: '0', MQTT_TELEMETRY_BATCH_DELAY_MS: '0' }),
        ),
        OtaForgeModule.forRoot(
          otaForgeConfigSchema.parse({
            ARTIFACTS_DIR: this.artifactsDir,
            DDI_POLLING_SLEEP: '00:00:30',
            DDI_DEFERRED_POLLING_SLEEP: '00:02:00',
            ...env,
          }),
        ),
      ],
    };
    this.app = await createHttpApp(root, {
      service: 'ota-e2e',
      logLevel: process.env['LOG_TESTS'] ? 'error' : 'silent',
    });
    await this.app.listen({ port, host: '127.0.0.1' });
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.tokenEndpoint = `${identity.OIDC_ISSUER_URL}/token`;
    this.adminToken = await this.tokenFor('platform-admin', adminSecret);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.db?.close();
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
  }

  get prisma(): PrismaService {
    return this.app.get(PrismaService);
  }

  get registry(): DeviceRegistry {
    return this.app.get<DeviceRegistry>(DEVICE_REGISTRY);
  }

  get mqtt(): { host: string; port: number } {
    return this.app.get(EmbeddedMqttBroker).address;
  }

  private async tokenFor(clientId: string, clientSecret: string): Promise<string> {
    const response = await fetch(this.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (typeof body['access_token'] !== 'string') throw new Error(`no token for ${clientId}: ${JSON.stringify(body)}`);
    return body['access_token'];
  }

  /** A bearer token of a service user of `accountId` holding `permissions`. */
  async accountToken(accountId: string, permissions = ['ota.read', 'ota.write']): Promise<string> {
    const provider = this.app.get<IdentityProvider>(IDENTITY_PROVIDER);
    const credentials = await provider.createClient({ accountId, permissions, description: `${accountId} test` });
    return this.tokenFor(credentials.clientId, credentials.clientSecret);
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    auth: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const all: Record<string, string> = { ...headers };
    if (auth) all['authorization'] = auth.includes(' ') ? auth : `Bearer ${auth}`;
    let payload: Buffer | string | undefined;
    if (body instanceof Buffer) {
      payload = body;
      all['content-type'] ??= 'application/octet-stream';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      all['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: all,
      body: payload,
      signal: AbortSignal.timeout(30_000),
    });
    const raw = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') && raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as T) : ({} as T);
    return { status: response.status, headers: response.headers, body: parsed, raw };
  }

  /** Appends events as their producer would, then waits until every OTA consumer has applied them. */
  async publish(events: { type: EventType; payload: EventMap[EventType]; accountId: string; deviceId?: string }[]) {
    const writer = this.app.get(OutboxWriter);
    const ids: string[] = [];
    await this.prisma.$transaction(async (tx) => {
      for (const event of events) {
        const appended = await writer.append(tx, event.type, event.payload, {
          accountId: event.accountId,
          deviceId: event.deviceId ?? null,
        });
        ids.push(appended.id);
      }
    });
    // Each event type is handled by exactly one OTA consumer.
    await waitFor(
      async () =>
        (await this.prisma.processedEvent.count({
          where: { eventId: { in: ids }, consumer: { in: [...OTA_CONSUMERS] } },
        })) >= ids.length,
      30_000,
    );
  }

  /** ota.action.status_changed events written so far for a device. */
  async statusEvents(deviceId: string): Promise<EventMap['ota.action.status_changed'][]> {
    const rows = await this.prisma.outboxEvent.findMany({
      where: { type: 'ota.action.status_changed', deviceId },
      orderBy: { seq: 'asc' },
    });
    return rows.map((row) => row.payload as unknown as EventMap['ota.action.status_changed']);
  }
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
export const newToken = () => randomBytes(24).toString('hex');
export const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export type Attributes = EventMap['device.provisioned']['attributes'];

/** An AMR-X1 as seed 000 describes it. */
export function amr(serial: string, overrides: Partial<Attributes> = {}): Attributes {
  return {
    type: 'amr',
    manufacturer: 'RoboMake',
    model: 'X1',
    revision: 'r3',
    serial,
    firmwareVersion: '1.0.0',
    capabilities: ['navigation'],
    ...overrides,
  };
}
