import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';
import type ProtocolMapperRepresentation from '@keycloak/keycloak-admin-client/lib/defs/protocolMapperRepresentation.js';
import { ACCOUNT_ID_CLAIM, PERMISSIONS_CLAIM } from '@flexgalaxy/auth';
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
    createdAt: typeof createdAt === 'string' ? new Date(createdAt) : new Date(0),
  };
}
