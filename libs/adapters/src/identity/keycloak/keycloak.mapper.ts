import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type ClientScopeRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientScopeRepresentation.js';
import type GroupRepresentation from '@keycloak/keycloak-admin-client/lib/defs/groupRepresentation.js';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import { ACCOUNT_ID_CLAIM, PERMISSIONS_CLAIM, ROLES_CLAIM } from '@flexgalaxy/auth';
import { z } from 'zod';
import type { ValidCreateInput } from '../identity-client.rules.js';
import type { IdentityClient, IdentityClientUpdate } from '../identity-provider.port.js';

/** Marks the clients this adapter owns: any other client of the realm (admin-cli, account, …) is "not found". */
const MANAGED_ATTRIBUTE = 'flexgalaxy.managed';
/** Keycloak keeps no creation time for clients. */
const CREATED_AT_ATTRIBUTE = 'flexgalaxy.created_at';

const MAPPERS = {
  subject: 'flexgalaxy-subject',
  accountId: 'flexgalaxy-account-id',
  permissions: 'flexgalaxy-permissions',
  audience: 'flexgalaxy-audience',
} as const;

type JsonType = 'String' | 'JSON';

function hardcodedClaim(name: string, claim: string, value: string, jsonType: JsonType): ProtocolMapperRepresentation {
  return {
    name,
    protocol: 'openid-connect',
    protocolMapper: 'oidc-hardcoded-claim-mapper',
    config: {
      'claim.name': claim,
      'claim.value': value,
      // JSON makes Keycloak emit the value parsed: a real array in the token, not a string.
      'jsonType.label': jsonType,
      'access.token.claim': 'true',
      'introspection.token.claim': 'true',
      'id.token.claim': 'false',
      'userinfo.token.claim': 'false',
    },
  };
}

function audienceMapper(audience: string): ProtocolMapperRepresentation {
  return {
    name: MAPPERS.audience,
    protocol: 'openid-connect',
    protocolMapper: 'oidc-audience-mapper',
    config: {
      'included.custom.audience': audience,
      'access.token.claim': 'true',
      'introspection.token.claim': 'true',
      'id.token.claim': 'false',
    },
  };
}

const accountIdMapper = (accountId: string) => hardcodedClaim(MAPPERS.accountId, ACCOUNT_ID_CLAIM, accountId, 'String');
const permissionsMapper = (permissions: string[]) =>
  hardcodedClaim(MAPPERS.permissions, PERMISSIONS_CLAIM, JSON.stringify(permissions), 'JSON');

/**
 * A confidential client for the client_credentials grant only, whose access tokens carry the
 * platform's claims. Keycloak puts the service-account user's UUID in `sub`; the platform's
 * principal names service users by client id (as the embedded issuer does), so a hardcoded
 * mapper pins `sub` to the client id (client mappers run after the realm's `basic` scope).
 */
export function toNewClientRepresentation(
  input: ValidCreateInput & { clientSecret: string },
  audience: string,
  now: Date,
): ClientRepresentation {
  return {
    clientId: input.clientId,
    description: input.description,
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    bearerOnly: false,
    clientAuthenticatorType: 'client-secret',
    secret: input.clientSecret,
    // Only the roles a client scope maps reach its tokens: the `roles` claim then holds the
    // account's declared roles and nothing of the realm's defaults (offline_access, …).
    fullScopeAllowed: false,
    serviceAccountsEnabled: true,
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    frontchannelLogout: false,
    attributes: { [MANAGED_ATTRIBUTE]: 'true', [CREATED_AT_ATTRIBUTE]: now.toISOString() },
    protocolMappers: [
      hardcodedClaim(MAPPERS.subject, 'sub', input.clientId, 'String'),
      accountIdMapper(input.accountId),
      permissionsMapper(input.permissions),
      audienceMapper(audience),
    ],
  };
}

/** The mappers to write so the client's next tokens carry the updated claims. */
export function toClaimMappers(update: IdentityClientUpdate): ProtocolMapperRepresentation[] {
  return [
    ...(update.accountId !== undefined ? [accountIdMapper(update.accountId)] : []),
    ...(update.permissions !== undefined ? [permissionsMapper(update.permissions)] : []),
  ];
}

export function isManagedClient(
  client: ClientRepresentation | undefined,
): client is ClientRepresentation & { id: string; clientId: string } {
  return (
    client?.attributes?.[MANAGED_ATTRIBUTE] === 'true' &&
    typeof client.id === 'string' &&
    typeof client.clientId === 'string'
  );
}

const permissionsValueSchema = z.array(z.string());

function claimValue(client: ClientRepresentation, mapperName: string): string | undefined {
  const value: unknown = client.protocolMappers?.find((mapper) => mapper.name === mapperName)?.config?.['claim.value'];
  return typeof value === 'string' ? value : undefined;
}

function parsePermissions(value: string | undefined): string[] {
  if (value === undefined) return [];
  try {
    const parsed = permissionsValueSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Reads the port's view of a managed client back from its mappers (the claims' one source of truth). */
export function toIdentityClient(client: ClientRepresentation & { clientId: string }): IdentityClient {
  const createdAt: unknown = client.attributes?.[CREATED_AT_ATTRIBUTE];
  return {
    clientId: client.clientId,
    accountId: claimValue(client, MAPPERS.accountId) ?? '',
    permissions: parsePermissions(claimValue(client, MAPPERS.permissions)),
    description: client.description ?? '',
    enabled: client.enabled !== false,
    createdAt: typeof createdAt === 'string' ? new Date(createdAt) : new Date(0),
  };
}

/**
 * The realm objects that give the port's clients a `roles` claim (KeycloakAccountRoles):
 * - one realm role per declared role (`trust-mint:DEVICE_MANUFACTURER`), a composite of one
 *   client role of PERMISSIONS_HOLDER_CLIENT per permission of its boundary. Permissions are
 *   client roles so that the realm-role mapper, which expands composites, never lists them;
 * - one group per account, mapped to the account's roles, whose members are the service-account
 *   users of the account's clients;
 * - ROLES_CLIENT_SCOPE, a default scope of every managed client: its realm-role mapper writes the
 *   claim and its scope mappings (the declared roles only) bound what the claim may hold.
 */
export const ROLES_CLIENT_SCOPE = 'flexgalaxy-account-roles';
export const PERMISSIONS_HOLDER_CLIENT = 'flexgalaxy-permissions';
export const ACCOUNT_GROUP_PREFIX = 'flexgalaxy-account:';
const ROLES_MAPPER = 'flexgalaxy-roles';
export const ROLES_VERSION_ATTRIBUTE = 'flexgalaxy.roles_version';
const ACCOUNT_ATTRIBUTE = 'flexgalaxy.account_id';

export const accountGroupName = (accountId: string) => `${ACCOUNT_GROUP_PREFIX}${accountId}`;

export function rolesClaimMapper(): ProtocolMapperRepresentation {
  return {
    name: ROLES_MAPPER,
    protocol: 'openid-connect',
    protocolMapper: 'oidc-usermodel-realm-role-mapper',
    config: {
      'claim.name': ROLES_CLAIM,
      multivalued: 'true',
      'jsonType.label': 'String',
      'access.token.claim': 'true',
      'introspection.token.claim': 'true',
      'id.token.claim': 'false',
      'userinfo.token.claim': 'false',
    },
  };
}

export function rolesClientScopeRepresentation(): ClientScopeRepresentation {
  return {
    name: ROLES_CLIENT_SCOPE,
    description: "The account's declared roles in the `roles` claim (FlexGalaxy identity port)",
    protocol: 'openid-connect',
    attributes: { 'include.in.token.scope': 'false', 'display.on.consent.screen': 'false' },
    protocolMappers: [rolesClaimMapper()],
  };
}

/** Holds the permission roles; no flow is enabled, so nothing can obtain a token as it. */
export function permissionsHolderRepresentation(): ClientRepresentation {
  return {
    clientId: PERMISSIONS_HOLDER_CLIENT,
    description: 'Permissions of the FlexGalaxy account roles, as client roles (composites of the realm roles)',
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: false,
  };
}

export function accountGroupRepresentation(accountId: string, version?: number): GroupRepresentation {
  return {
    name: accountGroupName(accountId),
    attributes: {
      [MANAGED_ATTRIBUTE]: ['true'],
      [ACCOUNT_ATTRIBUTE]: [accountId],
      ...(version !== undefined ? { [ROLES_VERSION_ATTRIBUTE]: [String(version)] } : {}),
    },
  };
}

/** The version of the declaration the group holds; 0 before the first. */
export function rolesVersionOf(group: GroupRepresentation): number {
  const value = Number(group.attributes?.[ROLES_VERSION_ATTRIBUTE]?.[0]);
  return Number.isInteger(value) && value > 0 ? value : 0;
}
