import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { InvalidIdentityClientError } from './identity-provider.errors.js';
import type {
  AccountRolesDeclaration,
  CreateIdentityClientInput,
  IdentityClientUpdate,
} from './identity-provider.port.js';

// Both adapters apply the same rules, so a client id or permission valid in the embedded issuer
// is valid in Keycloak too (Keycloak accepts more; the port promises the intersection).
const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{2,127}$/, 'must be 3-128 letters, digits or . _ : @ -');
const accountIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'must be 1-128 letters, digits or . _ : @ -');
const permissionSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:*-]{0,127}$/, 'must be 1-128 letters, digits or . _ : * -');
const permissionsSchema = z
  .array(permissionSchema)
  .max(256)
  .transform((permissions) => [...new Set(permissions)]);
// A registered secret (operator-supplied bootstrap credentials) must be as hard to guess as a generated one.
const clientSecretSchema = z.string().min(32, 'must be at least 32 characters').max(512);

const createSchema = z.object({
  accountId: accountIdSchema,
  permissions: permissionsSchema,
  description: z.string().max(1000),
  clientId: clientIdSchema.optional(),
  clientSecret: clientSecretSchema.optional(),
});

const updateSchema = z.object({
  accountId: accountIdSchema.optional(),
  permissions: permissionsSchema.optional(),
  enabled: z.boolean().optional(),
});

// Role names become Keycloak realm role names and claim values: no spaces, no slashes.
const roleNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 letters, digits or . _ : -');

const declarationSchema = z.object({
  accountId: accountIdSchema,
  version: z
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
  roles: z
    .array(z.object({ name: roleNameSchema, permissions: permissionsSchema.transform((p) => [...p].sort()) }))
    .max(64)
    .refine((roles) => new Set(roles.map((role) => role.name)).size === roles.length, 'role names must be unique')
    .transform((roles) => [...roles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new InvalidIdentityClientError(
      result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  return result.data;
}

export type ValidCreateInput = Required<
  Pick<CreateIdentityClientInput, 'accountId' | 'permissions' | 'description' | 'clientId'>
> & {
  clientSecret?: string;
};

/** Validates a create request and names the client when the caller did not. */
export function validateCreateInput(input: CreateIdentityClientInput): ValidCreateInput {
  const valid = parse(createSchema, input);
  return { ...valid, clientId: valid.clientId ?? newClientId() };
}

export function validateUpdate(update: IdentityClientUpdate): IdentityClientUpdate {
  return parse(updateSchema, update);
}

/** Validates a role declaration; roles and their permissions come back sorted (one canonical form). */
export function validateDeclaration(declaration: AccountRolesDeclaration): AccountRolesDeclaration {
  return parse(declarationSchema, declaration);
}

export function validateAccountId(accountId: string): string {
  return parse(accountIdSchema, accountId);
}

/** An access-key-like id: recognisable in logs, unguessable enough not to enumerate. */
export function newClientId(): string {
  return `fg-${randomBytes(10).toString('hex')}`;
}

/** 256 random bits: a brute-force search is hopeless whatever the hash. */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}
