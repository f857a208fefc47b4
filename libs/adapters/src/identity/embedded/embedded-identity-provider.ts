import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@flexgalaxy/contracts';
import { IDENTITY_CONFIG } from '../identity.tokens.js';
import { embeddedIssuerEndpoints, type IdentityConfig } from '../identity.config.js';
import {
  newClientSecret,
  validateAccountId,
  validateCreateInput,
  validateDeclaration,
  validateUpdate,
} from '../identity-client.rules.js';
import { IdentityClientNotFoundError, IdentityProviderUnavailableError } from '../identity-provider.errors.js';
import type {
  AccountRolesDeclaration,
  AccountRolesOutcome,
  CreateIdentityClientInput,
  IdentityClient,
  IdentityClientUpdate,
  IdentityProvider,
  IdentityWriteOptions,
  IssuedClientCredentials,
} from '../identity-provider.port.js';
import { AccountRolesRepository } from './account-roles.repository.js';
import { ClientSecretHasher } from './client-secret.hasher.js';
import { IdentityClientsRepository, type StoredIdentityClient } from './identity-clients.repository.js';

function toIdentityClient(client: StoredIdentityClient): IdentityClient {
  return {
    clientId: client.clientId,
    accountId: client.accountId,
    permissions: [...client.permissions],
    description: client.description,
    enabled: client.enabled,
    createdAt: client.createdAt,
  };
}

/** Domain errors pass through; anything else is the database failing under us. */
async function guarded<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new IdentityProviderUnavailableError(operation, error);
  }
}

/** The default identity adapter: clients in the platform's own database, tokens from the embedded issuer. */
@Injectable()
export class EmbeddedIdentityProvider implements IdentityProvider {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(IdentityClientsRepository) private readonly clients: IdentityClientsRepository,
    @Inject(ClientSecretHasher) private readonly hasher: ClientSecretHasher,
    @Inject(AccountRolesRepository) private readonly accountRoles: AccountRolesRepository,
  ) {}

  createClient(input: CreateIdentityClientInput): Promise<IssuedClientCredentials> {
    return guarded('createClient', () => this.create(input));
  }

  rotateSecret(clientId: string): Promise<IssuedClientCredentials> {
    return guarded('rotateSecret', () => this.rotate(clientId));
  }

  updateClient(clientId: string, update: IdentityClientUpdate): Promise<IdentityClient> {
    return guarded('updateClient', () => this.update(clientId, update));
  }

  deleteClient(clientId: string): Promise<void> {
    return guarded('deleteClient', () => this.delete(clientId));
  }

  getClient(clientId: string): Promise<IdentityClient> {
    return guarded('getClient', () => this.get(clientId));
  }

  setAccountRoles(declaration: AccountRolesDeclaration, options?: IdentityWriteOptions): Promise<AccountRolesOutcome> {
    return guarded('setAccountRoles', async () =>
      (await this.accountRoles.replaceUnlessNewer(validateDeclaration(declaration), options?.transaction))
        ? 'applied'
        : 'stale',
    );
  }

  getAccountRoles(accountId: string): Promise<AccountRolesDeclaration | null> {
    return guarded('getAccountRoles', () => this.accountRoles.findOf(validateAccountId(accountId)));
  }

  tokenEndpoint(): string {
    return embeddedIssuerEndpoints(this.config.OIDC_ISSUER_URL).token;
  }

  issuerUrl(): string {
    return this.config.OIDC_ISSUER_URL;
  }

  private async create(input: CreateIdentityClientInput): Promise<IssuedClientCredentials> {
    const valid = validateCreateInput(input);
    const clientSecret = valid.clientSecret ?? newClientSecret();
    await this.clients.insert({
      clientId: valid.clientId,
      secretHash: await this.hasher.hash(clientSecret, valid.clientSecret ? 'chosen' : 'generated'),
      accountId: valid.accountId,
      permissions: valid.permissions,
      description: valid.description,
    });
    return { clientId: valid.clientId, clientSecret };
  }

  private async rotate(clientId: string): Promise<IssuedClientCredentials> {
    const clientSecret = newClientSecret();
    if (!(await this.clients.replaceSecretHash(clientId, await this.hasher.hash(clientSecret, 'generated')))) {
      throw new IdentityClientNotFoundError(clientId);
    }
    return { clientId, clientSecret };
  }

  private async update(clientId: string, update: IdentityClientUpdate): Promise<IdentityClient> {
    const updated = await this.clients.updateClaims(clientId, validateUpdate(update));
    if (!updated) throw new IdentityClientNotFoundError(clientId);
    return toIdentityClient(updated);
  }

  private async delete(clientId: string): Promise<void> {
    if (!(await this.clients.markDeleted(clientId))) throw new IdentityClientNotFoundError(clientId);
  }

  private async get(clientId: string): Promise<IdentityClient> {
    const client = await this.clients.findLive(clientId);
    if (!client) throw new IdentityClientNotFoundError(clientId);
    return toIdentityClient(client);
  }
}
