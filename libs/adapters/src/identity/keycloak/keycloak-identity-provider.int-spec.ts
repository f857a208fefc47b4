import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PLATFORM_ADMIN_PERMISSION } from '@flexgalaxy/auth';
import { describeIdentityProviderContract } from '../identity-provider.contract.js';
import { IDENTITY_PROVIDER, type IdentityProvider } from '../identity-provider.port.js';
import { identityConfigSchema } from '../identity.config.js';
import { IdentityModule } from '../identity.module.js';
import { freePort } from '../testing/free-port.js';
import { findKeycloakTestTarget, type KeycloakTestEnv } from '../testing/keycloak-test-target.js';
import { callProbe, startResourceServer, type RunningApp } from '../testing/resource-server.probe.js';
import { decodeClaims, obtainAccessToken } from '../testing/token-request.js';
import { KeycloakIdentityProvider } from './keycloak-identity-provider.js';
import type { KeycloakSettings } from './keycloak.settings.js';

const AUDIENCE = 'flexgalaxy-api';

function settingsFor(env: KeycloakTestEnv): KeycloakSettings {
  return {
    url: env.KEYCLOAK_URL,
    realm: env.KEYCLOAK_REALM,
    adminRealm: 'master',
    adminUser: env.KEYCLOAK_ADMIN_USER,
    adminPassword: env.KEYCLOAK_ADMIN_PASSWORD,
    audience: AUDIENCE,
    timeoutMs: 10_000,
  };
}

// Chosen at load time: a developer without Keycloak gets a skip and the reason, CI a failure.
const target = await findKeycloakTestTarget(process.env);
const inCi = process.env['CI'] === 'true';
if (!target.reachable && !inCi) console.warn(`Skipping the Keycloak identity tests: ${target.reason}`);

if (target.reachable) {
  const env = target.env;

  describeIdentityProviderContract('keycloak', async () => ({
    provider: new KeycloakIdentityProvider(settingsFor(env)),
    audience: AUDIENCE,
    close: async () => undefined,
  }));

  describe(`${KeycloakIdentityProvider.name} against ${env.KEYCLOAK_URL}`, () => {
    const provider = new KeycloakIdentityProvider(settingsFor(env));
    let resourceServer: RunningApp;

    beforeAll(async () => {
      resourceServer = await startResourceServer(provider.issuerUrl(), AUDIENCE);
    });
    afterAll(() => resourceServer.close());

    it('should let the resource-server guard accept a token the realm issued to its own client', async () => {
      const token = await obtainAccessToken(provider.tokenEndpoint(), {
        clientId: env.KEYCLOAK_TEST_CLIENT_ID,
        clientSecret: env.KEYCLOAK_TEST_CLIENT_SECRET,
      });

      const whoami = await callProbe(resourceServer, 'whoami', token);
      const guarded = await callProbe(resourceServer, 'devices', token);

      expect(decodeClaims(token)['iss']).toBe(provider.issuerUrl());
      expect(whoami).toMatchObject({ status: 200, body: { accountId: 'platform', isPlatformAdmin: true } });
      expect(guarded.status).toBe(200);
    });

    it('should answer 403 when a Keycloak token lacks the permission a route requires', async () => {
      const clientId = `kc-spec-${randomBytes(4).toString('hex')}`;
      const credentials = await provider.createClient({
        clientId,
        accountId: 'acct-kc',
        permissions: ['devices.read'],
        description: 'spec',
      });
      try {
        const answer = await callProbe(
          resourceServer,
          'devices',
          await obtainAccessToken(provider.tokenEndpoint(), credentials),
        );

        expect(answer).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
      } finally {
        await provider.deleteClient(clientId);
      }
    });

    it('should not let the port reach realm clients it did not create', async () => {
      await expect(provider.getClient(env.KEYCLOAK_TEST_CLIENT_ID)).rejects.toMatchObject({
        code: 'IDENTITY.CLIENT_NOT_FOUND',
      });
      await expect(provider.deleteClient('admin-cli')).rejects.toMatchObject({ code: 'IDENTITY.CLIENT_NOT_FOUND' });
    });
  });

  describe(`${IdentityModule.name} with KEYCLOAK_URL`, () => {
    it('should pick the Keycloak adapter and bootstrap the platform admin in the realm', async () => {
      const scratch = mkdtempSync(join(tmpdir(), 'fg-identity-kc-'));
      const clientId = `platform-admin-${randomBytes(4).toString('hex')}`;
      const config = identityConfigSchema.parse({
        OIDC_ISSUER_URL: `${env.KEYCLOAK_URL}/realms/${env.KEYCLOAK_REALM}`,
        KEYCLOAK_URL: env.KEYCLOAK_URL,
        KEYCLOAK_REALM: env.KEYCLOAK_REALM,
        KEYCLOAK_ADMIN_USER: env.KEYCLOAK_ADMIN_USER,
        KEYCLOAK_ADMIN_PASSWORD: env.KEYCLOAK_ADMIN_PASSWORD,
        PLATFORM_ADMIN_CLIENT_ID: clientId,
        BOOTSTRAP_CREDENTIALS_FILE: join(scratch, 'bootstrap-admin.json'),
      });
      @Module({ imports: [IdentityModule.forRoot(config)] })
      class KeycloakIdentityTestModule {}
      const app = await NestFactory.createApplicationContext(KeycloakIdentityTestModule, { logger: false });
      const provider = app.get<IdentityProvider>(IDENTITY_PROVIDER);
      try {
        const file = JSON.parse(readFileSync(config.BOOTSTRAP_CREDENTIALS_FILE, 'utf8')) as {
          clientId: string;
          clientSecret: string;
          tokenEndpoint: string;
        };
        const token = await obtainAccessToken(file.tokenEndpoint, file);

        expect(provider).toBeInstanceOf(KeycloakIdentityProvider);
        expect(file).toMatchObject({ clientId, tokenEndpoint: provider.tokenEndpoint() });
        expect(decodeClaims(token)).toMatchObject({
          sub: clientId,
          account_id: 'platform',
          permissions: [PLATFORM_ADMIN_PERMISSION],
        });
      } finally {
        await provider.deleteClient(clientId).catch(() => undefined);
        await app.close();
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });
} else if (inCi) {
  describe(KeycloakIdentityProvider.name, () => {
    it('should have a Keycloak to test against when CI=true', () => {
      throw new Error(`Keycloak identity tests cannot run: ${target.reason}`);
    });
  });
} else {
  describe.skip(`${KeycloakIdentityProvider.name} (no Keycloak: ${target.reason})`, () => {
    it('runs against a real Keycloak', () => undefined);
  });
}

describe(`${KeycloakIdentityProvider.name} without a server`, () => {
  it('should report an unreachable Keycloak as unavailable', async () => {
    const provider = new KeycloakIdentityProvider({
      url: `http://127.0.0.1:${await freePort()}`,
      realm: 'flexgalaxy',
      adminRealm: 'master',
      adminUser: 'admin',
      adminPassword: 'admin',
      audience: AUDIENCE,
      timeoutMs: 2000,
    });

    await expect(provider.getClient('anyone')).rejects.toMatchObject({
      code: 'IDENTITY.PROVIDER_UNAVAILABLE',
      kind: 'unavailable',
    });
    // What makes org's handler throw, so that trust_mint.roles.declared is retried, not lost.
    await expect(
      provider.setAccountRoles({
        accountId: 'acct-any',
        roles: [{ name: 'trust-mint:DEVICE_MANUFACTURER', permissions: ['devices.read'] }],
        version: 1,
      }),
    ).rejects.toMatchObject({ code: 'IDENTITY.PROVIDER_UNAVAILABLE', kind: 'unavailable' });
  });
});
