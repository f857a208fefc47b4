import { createHmac, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { startEmbeddedIdentity, type EmbeddedIdentityApp } from '../testing/embedded-identity.harness.js';
import { callProbe } from '../testing/resource-server.probe.js';
import { obtainAccessToken } from '../testing/token-request.js';
import { AccessTokenSigner } from './access-token.signer.js';
import { SigningKeyStore } from './signing-key.store.js';

const b64 = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');

function signEs256(headerPart: object, claims: object, key: KeyObject): string {
  const input = `${b64(headerPart)}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

/**
 * The platform shape: one app with the embedded issuer, AuthModule trusting it, and routes behind
 * @Authenticated, built with createHttpApp so failures carry the platform's error body.
 */
describe.each(DRIVERS)('resource-server guard with the embedded issuer on %s', (driver) => {
  let db: TestDatabase;
  let otherDb: TestDatabase;
  let platform: EmbeddedIdentityApp;
  let otherIssuer: EmbeddedIdentityApp;
  let signer: AccessTokenSigner;
  let activeKid: string;
  let activePublicPem: string;
  let readerToken: string;
  let foreignIssuerToken: string;

  const claims = (overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: platform.config.OIDC_ISSUER_URL,
      sub: 'crafted',
      aud: 'flexgalaxy-api',
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
      account_id: 'acct-crafted',
      permissions: ['devices.read'],
      ...overrides,
    };
  };

  beforeAll(async () => {
    [db, otherDb] = await Promise.all([openTestDatabase(driver), openTestDatabase('pglite')]);
    platform = await startEmbeddedIdentity(db, { withProbe: true });
    otherIssuer = await startEmbeddedIdentity(otherDb);
    signer = platform.app.get(AccessTokenSigner, { strict: false });
    activeKid = platform.app.get(SigningKeyStore, { strict: false }).signingKey().kid;
    const jwks = (await (await fetch(`${platform.url}/oidc/jwks`)).json()) as { keys: Record<string, string>[] };
    activePublicPem = createPublicKey({ key: jwks.keys[0] ?? {}, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();

    const reader = await platform.provider.createClient({
      clientId: 'reader',
      accountId: 'acct-r',
      permissions: ['devices.read'],
      description: '',
    });
    readerToken = await obtainAccessToken(platform.provider.tokenEndpoint(), reader);
    const foreign = await otherIssuer.provider.createClient({
      clientId: 'reader',
      accountId: 'acct-r',
      permissions: ['devices.write'],
      description: '',
    });
    foreignIssuerToken = await obtainAccessToken(otherIssuer.provider.tokenEndpoint(), foreign);
  });

  afterAll(async () => {
    await platform.close();
    await otherIssuer.close();
    await Promise.all([db.close(), otherDb.close()]);
  });

  const badTokens: [string, () => string | undefined][] = [
    ['no token', () => undefined],
    ['garbage', () => 'not-a-jwt'],
    [
      'an expired token',
      () =>
        signer.sign(claims({ iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 })),
    ],
    ['a token from another issuer', () => foreignIssuerToken],
    ["our key, another issuer's name", () => signer.sign(claims({ iss: 'http://127.0.0.1:1/oidc' }))],
    ['a token for another audience', () => signer.sign(claims({ aud: 'some-other-api' }))],
    ['an unsigned token (alg none)', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'a tampered payload',
      () => {
        const [headerPart, , signature] = readerToken.split('.');
        return `${headerPart}.${b64(claims({ sub: 'reader', permissions: ['platform.admin'] }))}.${signature}`;
      },
    ],
    [
      'HS256 signed with the public key (algorithm confusion)',
      () => {
        const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: activeKid })}.${b64(claims({ permissions: ['platform.admin'] }))}`;
        return `${input}.${createHmac('sha256', activePublicPem).update(input).digest('base64url')}`;
      },
    ],
    [
      'an unknown kid',
      () =>
        signEs256(
          { alg: 'ES256', typ: 'at+jwt', kid: 'unknown-kid' },
          claims(),
          generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
        ),
    ],
    [
      "another key under the issuer's kid",
      () =>
        signEs256(
          { alg: 'ES256', typ: 'at+jwt', kid: activeKid },
          claims(),
          generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
        ),
    ],
    ['a token without account_id', () => signer.sign({ ...claims(), account_id: undefined })],
  ];

  it.each(badTokens)('should answer 401 with the platform error body to %s', async (_case, token) => {
    const answer = await callProbe(platform, 'whoami', token());

    expect(answer).toEqual({
      status: 401,
      body: { code: 'AUTH.UNAUTHENTICATED', message: expect.any(String), requestId: expect.any(String) },
    });
  });

  it('should accept a token from its own token endpoint', async () => {
    const answer = await callProbe(platform, 'whoami', readerToken);

    expect(answer).toEqual({
      status: 200,
      body: {
        subject: 'reader',
        accountId: 'acct-r',
        permissions: ['devices.read'],
        roles: [],
        isPlatformAdmin: false,
      },
    });
  });

  it('should answer 403 to a valid token that lacks the required permission', async () => {
    const answer = await callProbe(platform, 'devices', readerToken);

    expect(answer).toEqual({
      status: 403,
      body: {
        code: 'AUTH.FORBIDDEN',
        message: expect.any(String),
        details: { permission: 'devices.write' },
        requestId: expect.any(String),
      },
    });
  });

  it('should let the bootstrapped platform admin through', async () => {
    const file = JSON.parse(readFileSync(platform.config.BOOTSTRAP_CREDENTIALS_FILE, 'utf8')) as {
      clientId: string;
      clientSecret: string;
      tokenEndpoint: string;
    };
    const token = await obtainAccessToken(file.tokenEndpoint, file);

    expect(await callProbe(platform, 'devices', token)).toEqual({ status: 200, body: { ok: true } });
    expect((await callProbe(platform, 'whoami', token)).body).toMatchObject({
      accountId: 'platform',
      isPlatformAdmin: true,
    });
  });
});
