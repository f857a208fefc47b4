import { randomBytes } from 'node:crypto';
import type { AccountRole, IdentityProvider } from './identity-provider.port.js';
import { callProbe, startResourceServer, type RunningApp } from './testing/resource-server.probe.js';
import { decodeClaims, obtainAccessToken, requestToken } from './testing/token-request.js';

// seed 001's roles as TrustMint declares them (org's handler prefixes the service): the same names
// and boundaries in every run, so the realm roles the suite leaves in Keycloak never change.
const DEVICE_MANUFACTURER: AccountRole = {
  name: 'trust-mint:DEVICE_MANUFACTURER',
  permissions: ['certificates.read', 'devices.read', 'devices.write', 'events.read'],
};
const LICENSE_MANAGER: AccountRole = {
  name: 'trust-mint:LICENSE_MANAGER',
  permissions: ['approvals.read', 'approvals.write', 'devices.read', 'licenses.read'],
};

/** One adapter, ready for the suite. */
export interface IdentityContractSubject {
  provider: IdentityProvider;
  /** The audience the adapter's tokens carry (OIDC_AUDIENCE). */
  audience: string;
  /** Stops what makeAdapter started; the suite has already deleted the clients it created. */
  close(): Promise<void>;
}

/**
 * The behaviour every identity adapter must show, end to end over real HTTP: tokens come from
 * the issuer's token endpoint and are judged by the platform's real resource-server guard
 * (AuthModule: JwtStrategy against the issuer's JWKS), exactly as a service would.
 */
export function describeIdentityProviderContract(
  name: string,
  makeAdapter: () => Promise<IdentityContractSubject>,
): void {
  describe(`IdentityProvider contract: ${name}`, () => {
    let subject: IdentityContractSubject;
    let provider: IdentityProvider;
    let resourceServer: RunningApp;
    const run = randomBytes(4).toString('hex');
    const created = new Set<string>();
    const clientIdFor = (label: string) => `contract-${run}-${label}`;

    async function create(label: string | undefined, accountId: string, permissions: string[]) {
      const credentials = await provider.createClient({
        ...(label ? { clientId: clientIdFor(label) } : {}),
        accountId,
        permissions,
        description: `contract suite ${label ?? 'generated'}`,
      });
      created.add(credentials.clientId);
      return credentials;
    }

    beforeAll(async () => {
      subject = await makeAdapter();
      provider = subject.provider;
      resourceServer = await startResourceServer(provider.issuerUrl(), subject.audience);
    });

    afterAll(async () => {
      for (const clientId of created) await provider?.deleteClient(clientId).catch(() => undefined);
      await resourceServer?.close();
      await subject?.close();
    });

    it('should name its token endpoint in the discovery document of its issuer', async () => {
      const response = await fetch(`${provider.issuerUrl()}/.well-known/openid-configuration`);
      const discovery = (await response.json()) as Record<string, unknown>;

      expect(response.status).toBe(200);
      expect(discovery['issuer']).toBe(provider.issuerUrl());
      expect(discovery['token_endpoint']).toBe(provider.tokenEndpoint());
    });

    it('should issue credentials whose token the resource server accepts with account_id and permissions', async () => {
      const credentials = await create('first', 'acct-first', ['devices.read', 'devices.write']);

      const token = await obtainAccessToken(provider.tokenEndpoint(), credentials);
      const answer = await callProbe(resourceServer, 'whoami', token);

      expect(credentials.clientId).toBe(clientIdFor('first'));
      expect(credentials.clientSecret.length).toBeGreaterThanOrEqual(32);
      expect(answer).toEqual({
        status: 200,
        body: {
          subject: credentials.clientId,
          accountId: 'acct-first',
          permissions: ['devices.read', 'devices.write'],
          roles: [],
          isPlatformAdmin: false,
        },
      });
      expect(decodeClaims(token)).toMatchObject({
        iss: provider.issuerUrl(),
        account_id: 'acct-first',
        permissions: ['devices.read', 'devices.write'],
      });
    });

    it('should generate a client id when none is given and accept client_secret_post', async () => {
      const credentials = await create(undefined, 'acct-generated', ['events.read']);

      const answer = await requestToken(provider.tokenEndpoint(), credentials, 'client_secret_post');

      expect(credentials.clientId).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:@-]{2,127}$/);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        token_type: expect.stringMatching(/^bearer$/i),
        expires_in: expect.any(Number),
      });
    });

    it('should describe a client without its secret', async () => {
      const credentials = await create('described', 'acct-described', ['licenses.read']);

      const client = await provider.getClient(credentials.clientId);

      expect(client).toEqual({
        clientId: credentials.clientId,
        accountId: 'acct-described',
        permissions: ['licenses.read'],
        description: 'contract suite described',
        enabled: true,
        createdAt: expect.any(Date),
      });
      expect(JSON.stringify(client)).not.toContain(credentials.clientSecret);
    });

    it('should refuse a client id that is taken with a conflict', async () => {
      await create('taken', 'acct-taken', []);

      await expect(create('taken', 'acct-other', [])).rejects.toMatchObject({
        code: 'IDENTITY.CLIENT_EXISTS',
        kind: 'conflict',
      });
    });

    it('should put the updated account and permissions in new tokens', async () => {
      const credentials = await create('moved', 'acct-before', ['devices.read']);

      const updated = await provider.updateClient(credentials.clientId, {
        accountId: 'acct-after',
        permissions: ['devices.read', 'ota.write'],
      });
      const answer = await callProbe(
        resourceServer,
        'whoami',
        await obtainAccessToken(provider.tokenEndpoint(), credentials),
      );

      expect(updated).toMatchObject({ accountId: 'acct-after', permissions: ['devices.read', 'ota.write'] });
      expect(answer.body).toMatchObject({ accountId: 'acct-after', permissions: ['devices.read', 'ota.write'] });
    });

    it('should keep the fields an update leaves out', async () => {
      const credentials = await create('partial', 'acct-kept', ['devices.read']);

      await provider.updateClient(credentials.clientId, { permissions: ['devices.write'] });

      expect(await provider.getClient(credentials.clientId)).toMatchObject({
        accountId: 'acct-kept',
        permissions: ['devices.write'],
      });
    });

    it('should refuse the old secret and accept the new one after a rotation', async () => {
      const credentials = await create('rotated', 'acct-rotated', ['devices.read']);

      const rotated = await provider.rotateSecret(credentials.clientId);
      const withOld = await requestToken(provider.tokenEndpoint(), credentials);
      const withNew = await requestToken(provider.tokenEndpoint(), rotated);

      expect(rotated.clientId).toBe(credentials.clientId);
      expect(rotated.clientSecret).not.toBe(credentials.clientSecret);
      expect(withOld.status).toBe(401);
      expect(withNew.status).toBe(200);
    });

    it('should refuse tokens to a disabled client, keep its settings, and issue them again once enabled', async () => {
      const credentials = await create('disabled', 'acct-disabled', ['devices.read']);
      await obtainAccessToken(provider.tokenEndpoint(), credentials);

      const disabled = await provider.updateClient(credentials.clientId, { enabled: false });
      const refused = await requestToken(provider.tokenEndpoint(), credentials);
      const enabled = await provider.updateClient(credentials.clientId, { enabled: true });
      const token = await obtainAccessToken(provider.tokenEndpoint(), credentials);
      const probe = await callProbe(resourceServer, 'whoami', token);

      expect(disabled).toMatchObject({ enabled: false, accountId: 'acct-disabled', permissions: ['devices.read'] });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(['invalid_client', 'unauthorized_client']).toContain(refused.body['error']);
      expect(enabled.enabled).toBe(true);
      expect(probe).toMatchObject({ status: 200 });
    });

    it('should refuse tokens to a deleted client and no longer know it', async () => {
      const credentials = await create('deleted', 'acct-deleted', ['devices.read']);
      await obtainAccessToken(provider.tokenEndpoint(), credentials);

      await provider.deleteClient(credentials.clientId);
      created.delete(credentials.clientId);
      const answer = await requestToken(provider.tokenEndpoint(), credentials);

      expect(answer.status).toBe(401);
      // Keycloak says unauthorized_client for some refusals; the embedded issuer always invalid_client.
      expect(['invalid_client', 'unauthorized_client']).toContain(answer.body['error']);
      await expect(provider.getClient(credentials.clientId)).rejects.toMatchObject({
        code: 'IDENTITY.CLIENT_NOT_FOUND',
        kind: 'not_found',
      });
    });

    describe('account roles', () => {
      const account = `acct-${run}-roles`;
      const otherAccount = `acct-${run}-other`;

      async function whoami(credentials: { clientId: string; clientSecret: string }) {
        const token = await obtainAccessToken(provider.tokenEndpoint(), credentials);
        return { token, answer: await callProbe(resourceServer, 'whoami', token) };
      }

      it("should put the declared roles, exactly, in the roles claim of the account's clients", async () => {
        const existing = await create('roles-existing', account, ['devices.read']);

        const outcome = await provider.setAccountRoles({
          accountId: account,
          roles: [LICENSE_MANAGER, DEVICE_MANUFACTURER],
          version: 1,
        });
        const { token, answer } = await whoami(existing);

        expect(outcome).toBe('applied');
        expect(answer).toMatchObject({
          status: 200,
          body: { accountId: account, roles: [DEVICE_MANUFACTURER.name, LICENSE_MANAGER.name] },
        });
        expect([...(decodeClaims(token)['roles'] as string[])].sort()).toEqual([
          DEVICE_MANUFACTURER.name,
          LICENSE_MANAGER.name,
        ]);
        expect(await provider.getAccountRoles(account)).toEqual({
          accountId: account,
          roles: [DEVICE_MANUFACTURER, LICENSE_MANAGER],
          version: 1,
        });
      });

      it('should put the changed roles in the next token', async () => {
        const client = await create('roles-changed', account, ['devices.read']);

        await provider.setAccountRoles({ accountId: account, roles: [DEVICE_MANUFACTURER], version: 2 });
        const { answer } = await whoami(client);

        expect(answer.body).toMatchObject({ roles: [DEVICE_MANUFACTURER.name] });
      });

      it('should give the roles to a client created after the declaration', async () => {
        await provider.setAccountRoles({ accountId: account, roles: [DEVICE_MANUFACTURER], version: 3 });

        const later = await create('roles-later', account, ['devices.read']);
        const { answer } = await whoami(later);

        expect(answer.body).toMatchObject({ accountId: account, roles: [DEVICE_MANUFACTURER.name] });
      });

      it("should give a client moved to the account by updateClient the new account's roles only", async () => {
        await provider.setAccountRoles({ accountId: account, roles: [DEVICE_MANUFACTURER], version: 4 });
        await provider.setAccountRoles({ accountId: otherAccount, roles: [LICENSE_MANAGER], version: 1 });
        const moved = await create('roles-moved', otherAccount, ['devices.read']);
        const before = await whoami(moved);

        await provider.updateClient(moved.clientId, { accountId: account });
        const after = await whoami(moved);

        expect(before.answer.body).toMatchObject({ accountId: otherAccount, roles: [LICENSE_MANAGER.name] });
        expect(after.answer.body).toMatchObject({ accountId: account, roles: [DEVICE_MANUFACTURER.name] });
      });

      it('should give no roles claim to a client of an account that declared none', async () => {
        await provider.setAccountRoles({ accountId: account, roles: [DEVICE_MANUFACTURER], version: 5 });

        const stranger = await create('roles-stranger', `acct-${run}-stranger`, ['devices.read']);
        const { token, answer } = await whoami(stranger);

        expect(answer).toMatchObject({ status: 200, body: { roles: [] } });
        expect(decodeClaims(token)['roles']).toBeUndefined();
      });

      it('should ignore an older declaration and apply the same one again harmlessly', async () => {
        const client = await create('roles-versioned', account, ['devices.read']);
        await provider.setAccountRoles({ accountId: account, roles: [LICENSE_MANAGER], version: 7 });

        const again = await provider.setAccountRoles({ accountId: account, roles: [LICENSE_MANAGER], version: 7 });
        const older = await provider.setAccountRoles({ accountId: account, roles: [DEVICE_MANUFACTURER], version: 6 });
        const { answer } = await whoami(client);

        expect(again).toBe('applied');
        expect(older).toBe('stale');
        expect(answer.body).toMatchObject({ roles: [LICENSE_MANAGER.name] });
        expect(await provider.getAccountRoles(account)).toMatchObject({ roles: [LICENSE_MANAGER], version: 7 });
      });

      it('should clear the roles claim when the set becomes empty', async () => {
        const client = await create('roles-cleared', account, ['devices.read']);

        await provider.setAccountRoles({ accountId: account, roles: [], version: 8 });
        const { token } = await whoami(client);

        expect(decodeClaims(token)['roles']).toBeUndefined();
        expect(await provider.getAccountRoles(account)).toEqual({ accountId: account, roles: [], version: 8 });
      });

      it('should know nothing of an account that never declared roles', async () => {
        expect(await provider.getAccountRoles(`acct-${run}-never`)).toBeNull();
      });

      it('should reject a malformed role name as invalid input', async () => {
        await expect(
          provider.setAccountRoles({
            accountId: account,
            roles: [{ name: 'has space', permissions: [] }],
            version: 99,
          }),
        ).rejects.toMatchObject({ code: 'IDENTITY.INVALID_CLIENT', kind: 'invalid_input' });
      });
    });

    it.each([
      ['getClient', (p: IdentityProvider, id: string) => p.getClient(id)],
      ['updateClient', (p: IdentityProvider, id: string) => p.updateClient(id, { permissions: [] })],
      ['rotateSecret', (p: IdentityProvider, id: string) => p.rotateSecret(id)],
      ['deleteClient', (p: IdentityProvider, id: string) => p.deleteClient(id)],
    ])('should report an unknown client as not found from %s', async (_operation, operation) => {
      await expect(operation(provider, clientIdFor('never-created'))).rejects.toMatchObject({
        code: 'IDENTITY.CLIENT_NOT_FOUND',
        kind: 'not_found',
      });
    });

    it('should reject a malformed client id or permission as invalid input', async () => {
      await expect(
        provider.createClient({ clientId: 'has space', accountId: 'a', permissions: [], description: '' }),
      ).rejects.toMatchObject({
        code: 'IDENTITY.INVALID_CLIENT',
        kind: 'invalid_input',
      });
      await expect(
        provider.createClient({
          clientId: clientIdFor('bad-permission'),
          accountId: 'a',
          permissions: ['bad permission'],
          description: '',
        }),
      ).rejects.toMatchObject({ kind: 'invalid_input' });
    });
  });
}
