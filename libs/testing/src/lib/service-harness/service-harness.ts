import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IDENTITY_PROVIDER, IdentityModule, identityConfigSchema, type IdentityProvider } from '@flexgalaxy/adapters';
import { AuthModule } from '@flexgalaxy/auth';
import type { EventMap, EventType } from '@flexgalaxy/contracts';
import { PrismaService } from '@flexgalaxy/db';
import { EventsModule, eventsConfigSchema, OutboxWriter } from '@flexgalaxy/events';
import { createHttpApp } from '@flexgalaxy/service-kit';
import { clientCredentialsToken } from '../client-credentials-token.js';
import { TestDatabaseModule } from '../test-database.module.js';
import { freePort } from '../free-port.js';
import type { TestDatabase } from '../test-database.js';
import { waitFor } from '../wait-for.js';

@Module({})
class ServiceHarnessModule {}

// The bootstrap admin's secret per database: an app restarted on the same data must present the
// secret the first one registered.
const adminSecrets = new WeakMap<TestDatabase, string>();

export interface HarnessAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface PublishedEvent<K extends EventType = EventType> {
  type: K;
  payload: EventMap[K];
  accountId: string;
  deviceId?: string | null;
}

export interface ServiceHarness {
  app: NestFastifyApplication;
  /** e.g. `http://127.0.0.1:43121` */
  url: string;
  identity: IdentityProvider;
  /** A platform admin's bearer token (the bootstrap client). */
  adminToken: string;
  /** A client of `accountId` with these permissions, and a bearer token for it. */
  clientToken(accountId: string, permissions: string[], clientId?: string): Promise<string>;
  /** An HTTP call with a JSON body (or none); the answer's body parsed as JSON when it is JSON. */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HarnessAnswer<T>>;
  /**
   * Appends events as their producer would (one transaction), then waits until every named
   * consumer has applied them.
   */
  publish(events: PublishedEvent[], consumers: string[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface ServiceHarnessOptions {
  /** The service modules under test (and anything else they need). */
  imports: NonNullable<DynamicModule['imports']>;
  /** Extra event settings (EVENTS_*), as the environment would give them. */
  eventsEnv?: Record<string, string>;
  /** Listen on this port (the issuer's URL must be known first); a free one by default. */
  port?: number;
}

/**
 * One real HTTP app on a test database, as the platform composes it: the embedded OIDC issuer
 * (real tokens), the resource-server guard trusting it, the in-process event relay, and the
 * modules under test. Shared by the service e2e suites.
 */
export async function startServiceHarness(db: TestDatabase, options: ServiceHarnessOptions): Promise<ServiceHarness> {
  const port = options.port ?? (await freePort());
  const scratch = mkdtempSync(join(tmpdir(), 'fg-harness-'));
  const adminSecret = adminSecrets.get(db) ?? randomBytes(32).toString('base64url');
  adminSecrets.set(db, adminSecret);
  const identity = identityConfigSchema.parse({
    OIDC_ISSUER_URL: `http://127.0.0.1:${port}/oidc`,
    PLATFORM_ADMIN_CLIENT_ID: 'platform-admin',
    PLATFORM_ADMIN_CLIENT_SECRET: adminSecret,
    BOOTSTRAP_CREDENTIALS_FILE: join(scratch, 'bootstrap-admin.json'),
  });
  const root: DynamicModule = {
    module: ServiceHarnessModule,
    imports: [
      TestDatabaseModule.over(db),
      AuthModule.forRoot({ OIDC_ISSUER_URL: identity.OIDC_ISSUER_URL, OIDC_AUDIENCE: identity.OIDC_AUDIENCE }),
      EventsModule.forRoot(eventsConfigSchema.parse({ EVENTS_POLL_INTERVAL_MS: '50', ...options.eventsEnv })),
      IdentityModule.forRoot(identity),
      ...options.imports,
    ],
  };
  const app = await createHttpApp(root, { service: 'harness', logLevel: process.env['LOG_TESTS'] ? 'info' : 'silent' });
  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (error) {
    await app.close().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  const tokenEndpoint = `${identity.OIDC_ISSUER_URL}/token`;

  const tokenFor = (clientId: string, clientSecret: string) =>
    clientCredentialsToken(tokenEndpoint, clientId, clientSecret);

  const provider = app.get<IdentityProvider>(IDENTITY_PROVIDER);
  const adminToken = await tokenFor('platform-admin', adminSecret);

  return {
    app,
    url,
    identity: provider,
    adminToken,
    async clientToken(accountId, permissions, clientId) {
      const issued = await provider.createClient({ accountId, permissions, description: 'test client', clientId });
      return tokenFor(issued.clientId, issued.clientSecret);
    },
    async call<T>(
      method: string,
      path: string,
      token: string | null,
      body?: unknown,
      extraHeaders: Record<string, string> = {},
    ): Promise<HarnessAnswer<T>> {
      const headers: Record<string, string> = { ...extraHeaders };
      if (token) headers['authorization'] = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      let parsed: unknown = {};
      if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, body: parsed as T, text };
    },
    async publish(events, consumers) {
      const prisma = app.get(PrismaService);
      const writer = app.get(OutboxWriter);
      const ids = await prisma.$transaction(async (tx) => {
        const written: string[] = [];
        for (const event of events) {
          const appended = await writer.append(tx, event.type, event.payload, {
            accountId: event.accountId,
            deviceId: event.deviceId ?? null,
          });
          written.push(appended.id);
        }
        return written;
      });
      await waitFor(
        async () =>
          (await prisma.processedEvent.count({ where: { consumer: { in: consumers }, eventId: { in: ids } } })) >=
          ids.length * consumers.length,
        30_000,
      );
      return ids;
    },
    async close() {
      await app.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
