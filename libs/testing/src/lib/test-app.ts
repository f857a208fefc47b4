import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IDENTITY_PROVIDER, IdentityModule, identityConfigSchema, type IdentityProvider } from '@flexgalaxy/adapters';
import { AuthModule, PLATFORM_ADMIN_PERMISSION } from '@flexgalaxy/auth';
import { DatabaseConnection, PrismaService } from '@flexgalaxy/db';
import { EventsModule, eventsConfigSchema } from '@flexgalaxy/events';
import { createHttpApp } from '@flexgalaxy/service-kit';
import { freePort } from './free-port.js';
import type { TestDatabase } from './test-database.js';

/** Over an already open test database (DatabaseModule would open a new, empty one). */
@Global()
@Module({})
class TestDatabaseModule {
  static over(db: TestDatabase): DynamicModule {
    return {
      module: TestDatabaseModule,
      providers: [
        { provide: DatabaseConnection, useValue: db.connection },
        // A client per app: closing the app disconnects it, never the shared connection.
        { provide: PrismaService, useFactory: () => new PrismaService(db.connection) },
      ],
      exports: [DatabaseConnection, PrismaService],
    };
  }
}

@Module({})
class TestAppModule {}

export interface TestApp {
  url: string;
  app: NestFastifyApplication;
  identity: IdentityProvider;
  /** A bearer token for a fresh service user of `accountId` holding `permissions`. */
  tokenFor(accountId: string, permissions: string[]): Promise<string>;
  /** A bearer token with `platform.admin`. */
  adminToken(): Promise<string>;
  /** Calls the app: JSON in, JSON (or null) out, never throws on an HTTP error status. */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** The service modules (and adapters) under test. */
  imports: DynamicModule['imports'];
  /** Extra raw event settings (the in-process relay polls every 50 ms by default). */
  events?: Record<string, string>;
}

/**
 * A service over real HTTP on a test database, with the platform's HTTP stack, the in-process
 * event relay, the embedded OIDC issuer and the guard trusting it — the platform's shape, small.
 */
export async function startTestApp(db: TestDatabase, options: TestAppOptions): Promise<TestApp> {
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'fg-app-'));
  const identityConfig = identityConfigSchema.parse({
    OIDC_ISSUER_URL: `http://127.0.0.1:${port}/oidc`,
    BOOTSTRAP_CREDENTIALS_FILE: join(scratch, 'bootstrap-admin.json'),
  });
  const root: DynamicModule = {
    module: TestAppModule,
    imports: [
      TestDatabaseModule.over(db),
      EventsModule.forRoot(
        eventsConfigSchema.parse({ EVENTS_POLL_INTERVAL_MS: '50', EVENTS_RETRY_BASE_MS: '5', ...options.events }),
      ),
      AuthModule.forRoot({
        OIDC_ISSUER_URL: identityConfig.OIDC_ISSUER_URL,
        OIDC_AUDIENCE: identityConfig.OIDC_AUDIENCE,
      }),
      IdentityModule.forRoot(identityConfig),
      ...(options.imports ?? []),
    ],
  };
  const app = await createHttpApp(root, { service: 'test', logLevel: 'silent' });
  await app.listen(port, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const identity = app.get<IdentityProvider>(IDENTITY_PROVIDER);
  let counter = 0;

  const tokenFor = async (accountId: string, permissions: string[]): Promise<string> => {
    const { clientId, clientSecret } = await identity.createClient({
      accountId,
      permissions,
      description: `test client ${++counter}`,
    });
    const response = await fetch(identity.tokenEndpoint(), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token request failed: ${response.status}`);
    return body.access_token;
  };
  let admin: Promise<string> | null = null;

  return {
    url,
    app,
    identity,
    tokenFor,
    adminToken: () => (admin ??= tokenFor('platform', [PLATFORM_ADMIN_PERMISSION])),
    async request(method, path, { token, body, headers } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async close() {
      await app.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
