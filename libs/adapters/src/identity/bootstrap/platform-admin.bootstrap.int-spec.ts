import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { startEmbeddedIdentity } from '../testing/embedded-identity.harness.js';
import { callProbe, startResourceServer } from '../testing/resource-server.probe.js';
import { obtainAccessToken, requestToken } from '../testing/token-request.js';
import { DEFAULT_PLATFORM_ADMIN_CLIENT_ID, PLATFORM_ACCOUNT_ID } from './platform-admin.bootstrap.js';

interface BootstrapFile {
  clientId: string;
  clientSecret: string;
  tokenEndpoint: string;
}

const readFile = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as BootstrapFile;

describe('PlatformAdminBootstrap', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await openTestDatabase('pglite');
  });
  afterEach(() => db.close());

  it('should create a platform admin on first start and write its credentials to a 0600 file', async () => {
    const identity = await startEmbeddedIdentity(db);
    const resourceServer = await startResourceServer(identity.config.OIDC_ISSUER_URL, identity.config.OIDC_AUDIENCE);
    try {
      const file = readFile(identity.config.BOOTSTRAP_CREDENTIALS_FILE);
      const whoami = await callProbe(resourceServer, 'whoami', await obtainAccessToken(file.tokenEndpoint, file));

      expect(statSync(identity.config.BOOTSTRAP_CREDENTIALS_FILE).mode & 0o777).toBe(0o600);
      expect(file).toEqual({
        clientId: DEFAULT_PLATFORM_ADMIN_CLIENT_ID,
        clientSecret: expect.any(String),
        tokenEndpoint: identity.provider.tokenEndpoint(),
      });
      expect(whoami.body).toEqual({
        subject: DEFAULT_PLATFORM_ADMIN_CLIENT_ID,
        accountId: PLATFORM_ACCOUNT_ID,
        permissions: ['platform.admin'],
        roles: [],
        isPlatformAdmin: true,
      });
    } finally {
      await resourceServer.close();
      await identity.close();
    }
  });

  it('should do nothing on a restart: same client, secret still valid, no new file', async () => {
    const first = await startEmbeddedIdentity(db);
    const file = readFile(first.config.BOOTSTRAP_CREDENTIALS_FILE);
    await first.close();

    const second = await startEmbeddedIdentity(db);
    try {
      const clients = await db.connection.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "identity"."clients"`,
      );

      expect(existsSync(second.config.BOOTSTRAP_CREDENTIALS_FILE)).toBe(false);
      expect(clients).toEqual([{ n: 1 }]);
      expect((await requestToken(second.provider.tokenEndpoint(), file)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('should register the configured client and secret without writing a file', async () => {
    const secret = 'operator-chosen-secret-that-is-long-enough-0123456789';
    const identity = await startEmbeddedIdentity(db, {
      env: { PLATFORM_ADMIN_CLIENT_ID: 'ops-admin', PLATFORM_ADMIN_CLIENT_SECRET: secret },
    });
    try {
      const answer = await requestToken(identity.provider.tokenEndpoint(), {
        clientId: 'ops-admin',
        clientSecret: secret,
      });

      expect(existsSync(identity.config.BOOTSTRAP_CREDENTIALS_FILE)).toBe(false);
      expect(answer.status).toBe(200);
      expect(await identity.provider.getClient('ops-admin')).toMatchObject({
        accountId: PLATFORM_ACCOUNT_ID,
        permissions: ['platform.admin'],
      });
    } finally {
      await identity.close();
    }
  });

  it('should refuse to start, and leave no admin behind, when the credentials file cannot be written', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'fg-bootstrap-'));
    // A regular file where the folder should be: ENOTDIR, whoever runs the test (root included).
    writeFileSync(join(scratch, 'not-a-folder'), '');
    try {
      await expect(
        startEmbeddedIdentity(db, { env: { BOOTSTRAP_CREDENTIALS_FILE: join(scratch, 'not-a-folder', 'admin.json') } }),
      ).rejects.toThrow(/ENOTDIR|EEXIST/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }

    const clients = await db.connection.sql.query<{ live: number }>(
      `SELECT count(*)::int AS live FROM "identity"."clients" WHERE deleted_at IS NULL`,
    );
    expect(clients).toEqual([{ live: 0 }]);
  });
});
