import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from '@flexgalaxy/auth';
import { DatabaseConnection, PrismaService } from '@flexgalaxy/db';
import { IDENTITY_PROVIDER, type IdentityProvider } from '../identity-provider.port.js';
import { identityConfigSchema, type IdentityConfig } from '../identity.config.js';
import { IdentityModule } from '../identity.module.js';
import { freePort } from './free-port.js';
import { listen, ProbeController, type RunningApp } from './resource-server.probe.js';

/** An open, migrated database (a TestDatabase from @flexgalaxy/testing fits). */
export interface OpenDatabase {
  connection: DatabaseConnection;
}

/**
 * Stands in for DatabaseModule over an already open test database, so that an app can be closed
 * and booted again on the same data (DatabaseModule would open a new, empty in-memory PGlite).
 */
@Global()
@Module({})
class TestDatabaseModule {
  static over(db: OpenDatabase): DynamicModule {
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
class EmbeddedIdentityTestModule {}

export interface EmbeddedIdentityApp extends RunningApp {
  config: IdentityConfig;
  provider: IdentityProvider;
}

export interface EmbeddedIdentityOptions {
  /** Raw settings as the environment would give them; OIDC_ISSUER_URL defaults to this app's own /oidc. */
  env?: Record<string, string>;
  /** Also mount AuthModule (trusting this very issuer) and the probe routes: the platform's shape. */
  withProbe?: boolean;
  /** Listen here (a restart must keep its issuer URL); a free port by default. */
  port?: number;
}

/** The embedded issuer over real HTTP on a test database, booted with the platform's HTTP stack. */
export async function startEmbeddedIdentity(
  db: OpenDatabase,
  options: EmbeddedIdentityOptions = {},
): Promise<EmbeddedIdentityApp> {
  const port = options.port ?? (await freePort());
  const scratch = mkdtempSync(join(tmpdir(), 'fg-identity-'));
  const config = identityConfigSchema.parse({
    OIDC_ISSUER_URL: `http://127.0.0.1:${port}/oidc`,
    BOOTSTRAP_CREDENTIALS_FILE: join(scratch, 'bootstrap-admin.json'),
    ...options.env,
  });
  const root: DynamicModule = {
    module: EmbeddedIdentityTestModule,
    imports: [
      TestDatabaseModule.over(db),
      IdentityModule.forRoot(config),
      ...(options.withProbe
        ? [AuthModule.forRoot({ OIDC_ISSUER_URL: config.OIDC_ISSUER_URL, OIDC_AUDIENCE: config.OIDC_AUDIENCE })]
        : []),
    ],
    controllers: options.withProbe ? [ProbeController] : [],
  };
  const running = await listen(root, 'identity-test', port).catch((error: unknown) => {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  });
  return {
    ...running,
    config,
    provider: running.app.get<IdentityProvider>(IDENTITY_PROVIDER),
    async close() {
      await running.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
