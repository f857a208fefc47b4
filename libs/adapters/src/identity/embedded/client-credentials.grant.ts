import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ACCOUNT_ID_CLAIM, PERMISSIONS_CLAIM, ROLES_CLAIM } from '@flexgalaxy/auth';
import { IDENTITY_CONFIG } from '../identity.tokens.js';
import type { IdentityConfig } from '../identity.config.js';
import { AccessTokenSigner } from './access-token.signer.js';
import { AccountRolesRepository } from './account-roles.repository.js';
import { ClientSecretHasher } from './client-secret.hasher.js';
import { IdentityClientsRepository } from './identity-clients.repository.js';
import { OAuthError } from './oauth.errors.js';

export interface TokenRequest {
  /** The Authorization header, if any (client_secret_basic). */
  authorization: string | undefined;
  /** The parsed form or JSON body. */
  body: unknown;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

// One message for an unknown client and a wrong secret, so the endpoint never tells which ids exist.
const INVALID_CLIENT = 'client authentication failed';

/** RFC 6749 §3.2: parameters are sent at most once; a form may repeat them, JSON may mistype them. */
function readParameters(body: unknown): Record<string, string> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new OAuthError('invalid_request', 'the body must be a form or a JSON object');
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string')
      throw new OAuthError('invalid_request', `parameter ${name} must be given once, as a string`);
    parameters[name] = value;
  }
  return parameters;
}

/** RFC 6749 §2.3.1: both halves of the Basic credentials are form-urlencoded first. */
function decodeFormComponent(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

function readBasic(authorization: string): ClientCredentials {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw new OAuthError('invalid_client', INVALID_CLIENT);
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new OAuthError('invalid_client', INVALID_CLIENT);
  try {
    return {
      clientId: decodeFormComponent(decoded.slice(0, colon)),
      clientSecret: decodeFormComponent(decoded.slice(colon + 1)),
    };
  } catch {
    throw new OAuthError('invalid_client', INVALID_CLIENT);
  }
}

function readClientCredentials(
  authorization: string | undefined,
  parameters: Record<string, string>,
): ClientCredentials {
  const basic = authorization !== undefined && /^Basic\s/i.test(authorization) ? authorization : undefined;
  if (basic) {
    if (parameters['client_secret'] !== undefined) {
      throw new OAuthError('invalid_request', 'use one client authentication method, not both');
    }
    const credentials = readBasic(basic);
    if (parameters['client_id'] !== undefined && parameters['client_id'] !== credentials.clientId) {
      throw new OAuthError('invalid_request', 'client_id differs from the authenticated client');
    }
    return credentials;
  }
  const clientId = parameters['client_id'];
  const clientSecret = parameters['client_secret'];
  if (!clientId || !clientSecret) throw new OAuthError('invalid_client', INVALID_CLIENT);
  return { clientId, clientSecret };
}

/** The client_credentials grant (RFC 6749 §4.4) of the embedded issuer. */
@Injectable()
export class ClientCredentialsGrant {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    @Inject(IdentityClientsRepository) private readonly clients: IdentityClientsRepository,
    @Inject(ClientSecretHasher) private readonly hasher: ClientSecretHasher,
    @Inject(AccessTokenSigner) private readonly signer: AccessTokenSigner,
    @Inject(AccountRolesRepository) private readonly accountRoles: AccountRolesRepository,
  ) {}

  async exchange(request: TokenRequest): Promise<TokenResponse> {
    const parameters = readParameters(request.body);
    const grantType = parameters['grant_type'];
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials') {
      throw new OAuthError('unsupported_grant_type', 'only the client_credentials grant is supported');
    }
    const credentials = readClientCredentials(request.authorization, parameters);
    const client = await this.clients.findLive(credentials.clientId);
    // A disabled client is refused like an unknown one: the answer tells an attacker nothing.
    if (!(await this.hasher.verify(credentials.clientSecret, client?.secretHash)) || !client?.enabled) {
      throw new OAuthError('invalid_client', INVALID_CLIENT);
    }
    return this.issueFor(client);
  }

  /**
   * Signs an access token for a client already authenticated (or trusted in-process). Its
   * account's roles are read now, so a declaration shows in the very next token.
   */
  async issueFor(client: { clientId: string; accountId: string; permissions: string[] }): Promise<TokenResponse> {
    const roles = await this.accountRoles.roleNamesOf(client.accountId);
    const issuedAt = Math.floor(Date.now() / 1000);
    const accessToken = this.signer.sign({
      iss: this.config.OIDC_ISSUER_URL,
      sub: client.clientId,
      aud: this.config.OIDC_AUDIENCE,
      iat: issuedAt,
      exp: issuedAt + this.config.TOKEN_TTL_SECONDS,
      jti: randomUUID(),
      client_id: client.clientId,
      [ACCOUNT_ID_CLAIM]: client.accountId,
      [PERMISSIONS_CLAIM]: client.permissions,
      // Absent rather than empty, as Keycloak's realm-role mapper leaves it.
      ...(roles.length > 0 ? { [ROLES_CLAIM]: roles } : {}),
    });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.config.TOKEN_TTL_SECONDS };
  }
}
