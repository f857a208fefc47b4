import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import KcAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import { DomainError } from '@flexgalaxy/contracts';
import {
  newClientSecret,
  validateAccountId,
  validateCreateInput,
  validateDeclaration,
  validateUpdate,
} from '../identity-client.rules.js';
import {
  IdentityClientConflictError,
  IdentityClientNotFoundError,
  IdentityProviderUnavailableError,
} from '../identity-provider.errors.js';
import type {
  AccountRolesDeclaration,
  AccountRolesOutcome,
  CreateIdentityClientInput,
  IdentityClient,
  IdentityClientUpdate,
  IdentityProvider,
  IssuedClientCredentials,
} from '../identity-provider.port.js';
import { KeycloakAccountRoles } from './keycloak-account-roles.js';
import { KeycloakAdminTokenProvider } from './keycloak-admin.token-provider.js';
import { isManagedClient, toClaimMappers, toIdentityClient, toNewClientRepresentation } from './keycloak.mapper.js';
import { realmUrl, type KeycloakSettings } from './keycloak.settings.js';

type ManagedClient = ClientRepresentation & { id: string; clientId: string };

function httpStatus(error: unknown): number | undefined {
  return error instanceof NetworkError ? error.response.status : undefined;
}

/**
 * DotID on Keycloak: the port's clients are confidential clients of one realm, managed through
 * the admin REST API with @keycloak/keycloak-admin-client, their claims set by protocol mappers.
 */
export class KeycloakIdentityProvider implements IdentityProvider {
  private readonly admin: KcAdminClient;
  private readonly tokens: KeycloakAdminTokenProvider;
  private readonly accountRoles: KeycloakAccountRoles;

  constructor(private readonly settings: KeycloakSettings) {
    this.admin = new KcAdminClient({ baseUrl: settings.url, realmName: settings.realm, timeout: settings.timeoutMs });
    this.tokens = new KeycloakAdminTokenProvider(settings);
    this.admin.registerTokenProvider(this.tokens);
    this.accountRoles = new KeycloakAccountRoles(this.admin);
  }

  async createClient(input: CreateIdentityClientInput): Promise<IssuedClientCredentials> {
    const valid = validateCreateInput(input);
    // The secret is generated here rather than by Keycloak, so both adapters issue the same kind.
    const clientSecret = valid.clientSecret ?? newClientSecret();
    await this.call('createClient', valid.clientId, () =>
      this.admin.clients.create(
        toNewClientRepresentation({ ...valid, clientSecret }, this.settings.audience, new Date()),
      ),
    );
    try {
      await this.call('createClient', valid.clientId, async () =>
        this.accountRoles.attach(await this.findManaged(valid.clientId), valid.accountId),
      );
    } catch (error) {
      // A client outside its account's group would silently lack the account's roles: undo it.
      await this.call('createClient', valid.clientId, async () =>
        this.admin.clients.del({ id: (await this.findManaged(valid.clientId)).id }),
      ).catch(() => undefined);
      throw error;
    }
    return { clientId: valid.clientId, clientSecret };
  }

  async rotateSecret(clientId: string): Promise<IssuedClientCredentials> {
    const credential = await this.call('rotateSecret', clientId, async () => {
      const client = await this.findManaged(clientId);
      return this.admin.clients.generateNewClientSecret({ id: client.id });
    });
    if (!credential.value)
      throw new IdentityProviderUnavailableError('rotateSecret', new Error('Keycloak returned no secret'));
    return { clientId, clientSecret: credential.value };
  }

  async updateClient(clientId: string, update: IdentityClientUpdate): Promise<IdentityClient> {
    const valid = validateUpdate(update);
    return this.call('updateClient', clientId, async () => {
      const client = await this.findManaged(clientId);
      for (const mapper of toClaimMappers(valid)) {
        const existing = client.protocolMappers?.find((candidate) => candidate.name === mapper.name);
        if (existing?.id) {
          await this.admin.clients.updateProtocolMapper(
            { id: client.id, mapperId: existing.id },
            { ...mapper, id: existing.id },
          );
        } else {
          await this.admin.clients.addProtocolMapper({ id: client.id }, mapper);
        }
      }
      // A device transfer: the client now carries its new account's roles, not the old one's.
      if (valid.accountId !== undefined) await this.accountRoles.attach(client, valid.accountId);
      // Keycloak refuses the client_credentials grant to a disabled client (unauthorized_client).
      if (valid.enabled !== undefined) {
        await this.admin.clients.update({ id: client.id }, { clientId: client.clientId, enabled: valid.enabled });
      }
      return toIdentityClient(await this.findManaged(clientId));
    });
  }

  async deleteClient(clientId: string): Promise<void> {
    await this.call('deleteClient', clientId, async () => {
      const client = await this.findManaged(clientId);
      await this.admin.clients.del({ id: client.id });
    });
  }

  async getClient(clientId: string): Promise<IdentityClient> {
    return this.call('getClient', clientId, async () => toIdentityClient(await this.findManaged(clientId)));
  }

  async setAccountRoles(declaration: AccountRolesDeclaration): Promise<AccountRolesOutcome> {
    const valid = validateDeclaration(declaration);
    return this.call('setAccountRoles', null, () => this.accountRoles.declare(valid));
  }

  async getAccountRoles(accountId: string): Promise<AccountRolesDeclaration | null> {
    const valid = validateAccountId(accountId);
    return this.call('getAccountRoles', null, () => this.accountRoles.find(valid));
  }

  tokenEndpoint(): string {
    return `${this.issuerUrl()}/protocol/openid-connect/token`;
  }

  issuerUrl(): string {
    return realmUrl(this.settings);
  }

  /** The client by its clientId, with its mappers; clients this adapter did not create are "not found". */
  private async findManaged(clientId: string): Promise<ManagedClient> {
    const [match] = (await this.admin.clients.find({ clientId, search: false })).filter(
      (client) => client.clientId === clientId,
    );
    const client = match?.id ? await this.admin.clients.findOne({ id: match.id }) : undefined;
    if (!isManagedClient(client)) throw new IdentityClientNotFoundError(clientId);
    return client;
  }

  /**
   * Runs one admin operation, logging in again once on a 401, and maps failures to port errors.
   * `clientId` null: not about one client, so a 404 or 409 is Keycloak failing us, not the caller's mistake.
   */
  private async call<T>(operation: string, clientId: string | null, work: () => Promise<T>): Promise<T> {
    try {
      try {
        return await work();
      } catch (error) {
        if (httpStatus(error) !== 401) throw error;
        this.tokens.invalidate();
        return await work();
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const status = httpStatus(error);
      if (clientId !== null && status === 409) throw new IdentityClientConflictError(clientId);
      if (clientId !== null && status === 404) throw new IdentityClientNotFoundError(clientId);
      throw new IdentityProviderUnavailableError(operation, error);
    }
  }
}
