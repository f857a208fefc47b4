import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { startEmbeddedIdentity, type EmbeddedIdentityApp } from '../testing/embedded-identity.harness.js';
import { callProbe, startResourceServer } from '../testing/resource-server.probe.js';
import { decodeClaims, obtainAccessToken, requestToken, type ClientCredentialsPair } from '../testing/token-request.js';
import { ClientSecretHasher } from './client-secret.hasher.js';
import { SigningKeyStore } from './signing-key.store.js';

function header(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function jwksKids(issuer: EmbeddedIdentityApp): Promise<string[]> {
  const jwks = (await (await fetch(`${issuer.url}/oidc/jwks`)).json()) as { keys: { kid: string }[] };
  return jwks.keys.map((key) => key.kid).sort();
}

describe.each(DRIVERS)('embedded OIDC issuer on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  });
  afterAll(() => db.close());

  describe('endpoints', () => {
    let issuer: EmbeddedIdentityApp;
    let credentials: ClientCredentialsPair;
    let tokenEndpoint: string;

    beforeAll(async () => {
      issuer = await startEmbeddedIdentity(db);
      tokenEndpoint = issuer.provider.tokenEndpoint();
      credentials = await issuer.provider.createClient({
        clientId: 'endpoint-client',
        accountId: 'acct-1',
        permissions: ['devices.read'],
        description: 'endpoint tests',
      });
    });
    afterAll(() => issuer.close());

    it('should serve the discovery document under the issuer path', async () => {
      const response = await fetch(`${issuer.url}/oidc/.well-known/openid-configuration`);

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        issuer: `${issuer.url}/oidc`,
        token_endpoint: `${issuer.url}/oidc/token`,
        jwks_uri: `${issuer.url}/oidc/jwks`,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        id_token_signing_alg_values_supported: ['ES256'],
      });
    });

    it('should publish public EC keys only', async () => {
      const jwks = (await (await fetch(`${issuer.url}/oidc/jwks`)).json()) as { keys: Record<string, unknown>[] };

      expect(jwks.keys).toEqual([
        {
          kty: 'EC',
          crv: 'P-256',
          x: expect.any(String),
          y: expect.any(String),
          kid: expect.any(String),
          use: 'sig',
          alg: 'ES256',
        },
      ]);
    });

    it('should issue an ES256 token carrying the platform claims, never cached', async () => {
      const answer = await requestToken(tokenEndpoint, credentials);
      const token = String(answer.body['access_token']);
      const claims = decodeClaims(token);

      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
      expect(header(token)).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: (await jwksKids(issuer))[0] });
      expect(claims).toEqual({
        iss: `${issuer.url}/oidc`,
        sub: 'endpoint-client',
        aud: 'flexgalaxy-api',
        iat: expect.any(Number),
        exp: Number(claims['iat']) + 3600,
        jti: expect.any(String),
        client_id: 'endpoint-client',
        account_id: 'acct-1',
        permissions: ['devices.read'],
      });
    });

    it('should accept a JSON body as well as a form', async () => {
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
        }),
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ token_type: 'Bearer' });
    });

    it('should answer a wrong secret and an unknown client alike: 401 invalid_client with WWW-Authenticate', async () => {
      const wrongSecret = await requestToken(tokenEndpoint, {
        clientId: credentials.clientId,
        clientSecret: 'not-the-secret',
      });
      const unknownClient = await requestToken(tokenEndpoint, {
        clientId: 'no-such-client',
        clientSecret: 'not-the-secret',
      });
      const unknownPost = await requestToken(
        tokenEndpoint,
        { clientId: 'no-such-client', clientSecret: 'x' },
        'client_secret_post',
      );

      for (const answer of [wrongSecret, unknownClient, unknownPost]) {
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(answer.headers.get('cache-control')).toBe('no-store');
      }
      expect(wrongSecret.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
      expect(unknownClient.body).toEqual(wrongSecret.body);
      expect(unknownPost.body).toEqual(wrongSecret.body);
    });

    it('should answer 401 invalid_client when no client authentication is sent', async () => {
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      });

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    });

    it.each([
      ['an unsupported grant type', { grant_type: 'password' }, 'unsupported_grant_type'],
      ['an authorization_code grant', { grant_type: 'authorization_code', code: 'x' }, 'unsupported_grant_type'],
      ['no grant type', {}, 'invalid_request'],
    ])('should answer 400 to %s', async (_case, form, error) => {
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams(form),
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error, error_description: expect.any(String) });
    });

    it('should answer 400 invalid_request to two authentication methods at once', async () => {
      const answer = await requestToken(tokenEndpoint, credentials, 'client_secret_basic', {
        client_secret: credentials.clientSecret,
      });

      expect(answer.status).toBe(400);
      expect(answer.body['error']).toBe('invalid_request');
    });

    it('should answer 400 invalid_request to a repeated parameter', async () => {
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&grant_type=client_credentials&client_id=${credentials.clientId}&client_secret=${credentials.clientSecret}`,
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    });
  });

  describe('OpenAPI', () => {
    it('should list the issuer endpoints in the service document', async () => {
      const issuer = await startEmbeddedIdentity(db);
      try {
        const document = (await (await fetch(`${issuer.url}/docs/json`)).json()) as { paths: Record<string, unknown> };

        expect(Object.keys(document.paths)).toEqual(
          expect.arrayContaining(['/oidc/.well-known/openid-configuration', '/oidc/jwks', '/oidc/token']),
        );
      } finally {
        await issuer.close();
      }
    });
  });

  describe('storage', () => {
    it('should store only a salted hash of each secret (HMAC-SHA256 for generated ones), and replace it on rotation', async () => {
      const issuer = await startEmbeddedIdentity(db);
      try {
        const first = await issuer.provider.createClient({
          clientId: 'hashed-1',
          accountId: 'a',
          permissions: [],
          description: '',
        });
        const second = await issuer.provider.createClient({
          clientId: 'hashed-2',
          accountId: 'a',
          permissions: [],
          description: '',
        });
        const rotated = await issuer.provider.rotateSecret('hashed-1');
        const rows = await db.connection.sql.query<Record<string, unknown>>(
          `SELECT * FROM "identity"."clients" WHERE client_id IN ('hashed-1', 'hashed-2') ORDER BY client_id`,
        );
        const dump = JSON.stringify(rows);

        for (const secret of [first.clientSecret, second.clientSecret, rotated.clientSecret])
          expect(dump).not.toContain(secret);
        expect(rows.map((row) => row['secret_hash'])).toEqual([
          expect.stringMatching(/^hmac-sha256\$[\w-]{22}\$[\w-]{43}$/),
          expect.stringMatching(/^hmac-sha256\$[\w-]{22}\$[\w-]{43}$/),
        ]);
        // Per-client salts: equal inputs would still hash differently.
        expect(String(rows[0]?.['secret_hash']).split('$')[1]).not.toBe(String(rows[1]?.['secret_hash']).split('$')[1]);
        expect(rows[0]?.['secret_rotated_at']).not.toBeNull();
        await expect(obtainAccessToken(issuer.provider.tokenEndpoint(), rotated)).resolves.toEqual(expect.any(String));
        expect((await requestToken(issuer.provider.tokenEndpoint(), first, 'client_secret_post')).status).toBe(401);
      } finally {
        await issuer.close();
      }
    });

    it('should stretch a secret the caller chose with scrypt, and still accept hashes stored by scrypt before', async () => {
      const issuer = await startEmbeddedIdentity(db);
      try {
        const chosen = await issuer.provider.createClient({
          clientId: 'chosen-secret',
          clientSecret: 'correct horse battery staple, twice over',
          accountId: 'a',
          permissions: [],
          description: '',
        });
        const generated = await issuer.provider.createClient({
          clientId: 'scrypt-era',
          accountId: 'a',
          permissions: [],
          description: '',
        });
        // A row as the issuer wrote it before generated secrets were HMAC-hashed.
        const legacy = await new ClientSecretHasher().hash(generated.clientSecret, 'chosen');
        await db.connection.sql.query(
          `UPDATE "identity"."clients" SET secret_hash = $1 WHERE client_id = 'scrypt-era'`,
          [legacy],
        );
        const rows = await db.connection.sql.query<{ secret_hash: string }>(
          `SELECT secret_hash FROM "identity"."clients" WHERE client_id = 'chosen-secret'`,
        );

        expect(rows[0]?.secret_hash).toMatch(/^scrypt\$14\$8\$1\$/);
        expect(legacy).toMatch(/^scrypt\$14\$8\$1\$/);
        for (const pair of [chosen, generated]) {
          expect(decodeClaims(await obtainAccessToken(issuer.provider.tokenEndpoint(), pair))['client_id']).toBe(
            pair.clientId,
          );
          const wrong = { ...pair, clientSecret: `${pair.clientSecret}x` };
          expect((await requestToken(issuer.provider.tokenEndpoint(), wrong, 'client_secret_post')).status).toBe(401);
        }
      } finally {
        await issuer.close();
      }
    });

    it('should let a deleted client id be issued again, keeping the deleted row', async () => {
      const issuer = await startEmbeddedIdentity(db);
      try {
        await issuer.provider.createClient({
          clientId: 'reissued',
          accountId: 'old',
          permissions: [],
          description: '',
        });
        await issuer.provider.deleteClient('reissued');
        const again = await issuer.provider.createClient({
          clientId: 'reissued',
          accountId: 'new',
          permissions: [],
          description: '',
        });
        const rows = await db.connection.sql.query<{ account_id: string; deleted_at: Date | null }>(
          `SELECT account_id, deleted_at FROM "identity"."clients" WHERE client_id = 'reissued' ORDER BY created_at`,
        );

        expect(decodeClaims(await obtainAccessToken(issuer.provider.tokenEndpoint(), again))['account_id']).toBe('new');
        expect(rows.map((row) => [row.account_id, row.deleted_at === null])).toEqual([
          ['old', false],
          ['new', true],
        ]);
      } finally {
        await issuer.close();
      }
    });
  });

  describe('signing keys', () => {
    it('should keep its signing key across a restart, so earlier tokens still validate', async () => {
      const restartDb = await openTestDatabase(driver);
      const before = await startEmbeddedIdentity(restartDb);
      const port = Number(new URL(before.url).port);
      const credentials = await before.provider.createClient({
        clientId: 'survivor',
        accountId: 'acct-s',
        permissions: ['x.y'],
        description: '',
      });
      const tokenBefore = await obtainAccessToken(before.provider.tokenEndpoint(), credentials);
      const kidsBefore = await jwksKids(before);
      await before.close();

      const after = await startEmbeddedIdentity(restartDb, { port, env: { TOKEN_TTL_SECONDS: '600' } });
      // A resource server that never saw the first process: it learns the keys from the restarted one.
      const resourceServer = await startResourceServer(after.config.OIDC_ISSUER_URL, after.config.OIDC_AUDIENCE);
      try {
        const answer = await callProbe(resourceServer, 'whoami', tokenBefore);
        const tokenAfter = await requestToken(after.provider.tokenEndpoint(), credentials);

        expect(answer).toMatchObject({ status: 200, body: { subject: 'survivor', accountId: 'acct-s' } });
        expect(await jwksKids(after)).toEqual(kidsBefore);
        expect(header(String(tokenAfter.body['access_token']))['kid']).toBe(kidsBefore[0]);
        expect(tokenAfter.body['expires_in']).toBe(600);
      } finally {
        await resourceServer.close();
        await after.close();
        await restartDb.close();
      }
    });

    it('should sign with a new key after a rotation, keep publishing the old one until it is retired', async () => {
      const rotationDb = await openTestDatabase(driver);
      const issuer = await startEmbeddedIdentity(rotationDb);
      const resourceServer = await startResourceServer(issuer.config.OIDC_ISSUER_URL, issuer.config.OIDC_AUDIENCE);
      try {
        const credentials = await issuer.provider.createClient({
          clientId: 'rotation',
          accountId: 'a',
          permissions: [],
          description: '',
        });
        const oldToken = await obtainAccessToken(issuer.provider.tokenEndpoint(), credentials);
        const [oldKid] = await jwksKids(issuer);

        const newKid = await issuer.app.get(SigningKeyStore, { strict: false }).rotate();
        const newToken = await obtainAccessToken(issuer.provider.tokenEndpoint(), credentials);

        expect(newKid).not.toBe(oldKid);
        expect(header(newToken)['kid']).toBe(newKid);
        expect(await jwksKids(issuer)).toEqual([oldKid, newKid].sort());
        expect((await callProbe(resourceServer, 'whoami', oldToken)).status).toBe(200);
        expect((await callProbe(resourceServer, 'whoami', newToken)).status).toBe(200);

        const store = issuer.app.get(SigningKeyStore, { strict: false });
        expect(await store.retire(newKid)).toBe(false);
        expect(await store.retire(oldKid ?? '')).toBe(true);
        const freshResourceServer = await startResourceServer(
          issuer.config.OIDC_ISSUER_URL,
          issuer.config.OIDC_AUDIENCE,
        );
        try {
          expect(await jwksKids(issuer)).toEqual([newKid]);
          expect((await callProbe(freshResourceServer, 'whoami', oldToken)).status).toBe(401);
          expect((await callProbe(freshResourceServer, 'whoami', newToken)).status).toBe(200);
        } finally {
          await freshResourceServer.close();
        }
      } finally {
        await resourceServer.close();
        await issuer.close();
        await rotationDb.close();
      }
    });
  });

  describe('database failure', () => {
    it('should report a database it cannot use as unavailable', async () => {
      const doomed = await openTestDatabase(driver);
      const issuer = await startEmbeddedIdentity(doomed);
      try {
        await doomed.close();

        await expect(issuer.provider.getClient('anyone')).rejects.toMatchObject({
          code: 'IDENTITY.PROVIDER_UNAVAILABLE',
          kind: 'unavailable',
        });
      } finally {
        await issuer.close();
      }
    });
  });
});
