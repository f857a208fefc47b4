import type { Tx } from '@flexgalaxy/db';

/** Injection token of the identity port; services inject this, never an adapter class. */
export const IDENTITY_PROVIDER = Symbol('IDENTITY_PROVIDER');

/**
 * An OAuth2 confidential client that obtains tokens with the client_credentials grant: an
 * AdminCenter service user (access key = client id, secret key = client secret) or a device's
 * M2M client. Its tokens carry `account_id` and `permissions` (seed 001: permission boundaries),
 * and `roles` once its account declared roles (setAccountRoles).
 */
export interface IdentityClient {
  clientId: string;
  /** The account the client acts for (the `account_id` claim of its tokens). */
  accountId: string;
  /** The `permissions` claim of its tokens. */
  permissions: string[];
  description: string;
  /** A disabled client obtains no token (a suspended device); enabling it again restores it. */
  enabled: boolean;
  createdAt: Date;
}

export interface CreateIdentityClientInput {
  accountId: string;
  permissions: string[];
  description: string;
  /** Chosen by the caller (e.g. a device's M2M client named after the device); generated if absent. */
  clientId?: string;
  /**
   * Registers a secret the operator already holds (PLATFORM_ADMIN_CLIENT_SECRET at bootstrap).
   * Everything else lets the provider generate one, so that no person ever picks a secret.
   */
  clientSecret?: string;
}

/** Returned only when a secret is issued: it is never stored or shown again. */
export interface IssuedClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface IdentityClientUpdate {
  accountId?: string;
  permissions?: string[];
  enabled?: boolean;
}

/** A role an account holds (e.g. `trust-mint:DEVICE_MANUFACTURER`) and the permissions it stands for. */
export interface AccountRole {
  /** What the `roles` claim carries. */
  name: string;
  /** The role's permission boundary (seed 001). */
  permissions: string[];
}

/** An account's complete role set, as one declaration of it. */
export interface AccountRolesDeclaration {
  accountId: string;
  /** The whole set: a role left out is no longer held. Empty clears the set. */
  roles: AccountRole[];
  /** Grows with every declaration of the account: an older one never replaces a newer. */
  version: number;
}

/** What setAccountRoles did: `stale` when a newer declaration of the account was already applied. */
export type AccountRolesOutcome = 'applied' | 'stale';

export interface IdentityWriteOptions {
  /**
   * The caller's open database transaction, e.g. an event handler's. An adapter that keeps its
   * state in the platform's database writes in it, so its change commits or rolls back with the
   * caller's (and, on PGlite's single connection, does not wait for that transaction to end);
   * an adapter backed by another system ignores it.
   */
  transaction?: Tx;
}

/**
 * DotID, the platform's identity provider, seen from the services: the lifecycle of OAuth2
 * clients. Implemented by the embedded OIDC issuer (default) and by Keycloak (KEYCLOAK_URL).
 * Every method throws IdentityProviderUnavailableError when the backend cannot be reached.
 */
export interface IdentityProvider {
  /**
   * Registers a confidential client whose tokens carry `accountId` and `permissions`.
   * @returns the client id and its secret, shown this once.
   * @throws IdentityClientConflictError when `clientId` is already taken.
   * @throws InvalidIdentityClientError when an identifier or permission is malformed.
   */
  createClient(input: CreateIdentityClientInput): Promise<IssuedClientCredentials>;

  /**
   * Issues a new secret; the old one is refused from now on (tokens already issued stay valid
   * until they expire).
   * @throws IdentityClientNotFoundError when no such client exists.
   */
  rotateSecret(clientId: string): Promise<IssuedClientCredentials>;

  /**
   * Changes the claims of the client's future tokens, e.g. a device transfer moves its M2M client
   * to the new account. Fields left out keep their value.
   * @throws IdentityClientNotFoundError when no such client exists.
   * @throws InvalidIdentityClientError when an identifier or permission is malformed.
   */
  updateClient(clientId: string, update: IdentityClientUpdate): Promise<IdentityClient>;

  /**
   * Removes the client: its credentials are refused from now on.
   * @throws IdentityClientNotFoundError when no such client exists.
   */
  deleteClient(clientId: string): Promise<void>;

  /**
   * The client's current settings (never its secret).
   * @throws IdentityClientNotFoundError when no such client exists.
   */
  getClient(clientId: string): Promise<IdentityClient>;

  /**
   * Replaces the account's role set. From then on the access tokens of every client of the
   * account — existing ones, ones created later and ones moved to it by updateClient — carry the
   * role names in the `roles` claim (absent when the set is empty). Idempotent: the same version
   * applied again changes nothing visible; a lower version than the one applied is `stale`.
   * @throws InvalidIdentityClientError when an account id, role name or permission is malformed.
   */
  setAccountRoles(declaration: AccountRolesDeclaration, options?: IdentityWriteOptions): Promise<AccountRolesOutcome>;

  /** The role set last applied to the account, or null when none ever was. */
  getAccountRoles(accountId: string): Promise<AccountRolesDeclaration | null>;

  /** Where clients exchange their credentials for a token (client_credentials grant). */
  tokenEndpoint(): string;

  /** The `iss` of the tokens; resource servers set OIDC_ISSUER_URL to it. */
  issuerUrl(): string;
}
