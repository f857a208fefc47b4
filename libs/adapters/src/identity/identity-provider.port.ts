/** Injection token of the identity port; services inject this, never an adapter class. */
export const IDENTITY_PROVIDER = Symbol('IDENTITY_PROVIDER');

/**
 * An OAuth2 confidential client that obtains tokens with the client_credentials grant: an
 * AdminCenter service user (access key = client id, secret key = client secret) or a device's
 * M2M client. Its tokens carry `account_id` and `permissions` (seed 001: permission boundaries).
 */
export interface IdentityClient {
  clientId: string;
  /** The account the client acts for (the `account_id` claim of its tokens). */
  accountId: string;
  /** The `permissions` claim of its tokens. */
  permissions: string[];
  description: string;
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

  /** Where clients exchange their credentials for a token (client_credentials grant). */
  tokenEndpoint(): string;

  /** The `iss` of the tokens; resource servers set OIDC_ISSUER_URL to it. */
  issuerUrl(): string;
}
