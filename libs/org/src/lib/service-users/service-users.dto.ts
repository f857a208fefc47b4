import { z } from 'zod';
import { pageQueryShape, countedPageResponseSchema, type CountedPage } from '@flexgalaxy/service-kit';
import type { ServiceUser } from './domain/service-user.js';
import type { IssuedServiceUser } from './service-users.service.js';

// The identity port's own rule for permission names, minus wildcards: guards match exactly.
const permissionSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 letters, digits or . _ : -');

export const createServiceUserBodySchema = z
  .object({
    description: z.string().trim().min(1).max(500),
    permissions: z
      .array(permissionSchema)
      .min(1)
      .max(64)
      .transform((permissions) => [...new Set(permissions)].sort()),
  })
  .strict()
  .meta({ id: 'CreateServiceUserRequest' });
export type CreateServiceUserBody = z.output<typeof createServiceUserBodySchema>;

export const accountIdParamsSchema = z.object({ id: z.uuid() });
export type AccountIdParams = z.output<typeof accountIdParamsSchema>;

export const serviceUserParamsSchema = z.object({
  id: z.uuid(),
  clientId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{2,127}$/, 'not a client id'),
});
export type ServiceUserParams = z.output<typeof serviceUserParamsSchema>;

export const listServiceUsersQuerySchema = z.object(pageQueryShape);
export type ListServiceUsersQuery = z.output<typeof listServiceUsersQuerySchema>;

export const serviceUserResponseSchema = z
  .object({
    clientId: z.string(),
    accountId: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    createdAt: z.iso.datetime(),
    secretRotatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ServiceUser' });
export type ServiceUserResponse = z.output<typeof serviceUserResponseSchema>;

export const serviceUserCredentialsResponseSchema = serviceUserResponseSchema
  .extend({
    /** Shown this once; it cannot be retrieved again, only rotated. */
    clientSecret: z.string(),
    /** Where to exchange clientId / clientSecret for a token (client_credentials grant). */
    tokenEndpoint: z.string(),
  })
  .meta({ id: 'ServiceUserCredentials' });
export type ServiceUserCredentialsResponse = z.output<typeof serviceUserCredentialsResponseSchema>;

export const serviceUserPageResponseSchema = countedPageResponseSchema(serviceUserResponseSchema, 'ServiceUserPage');
export type ServiceUserPageResponse = z.output<typeof serviceUserPageResponseSchema>;

export function toServiceUserResponse(user: ServiceUser): ServiceUserResponse {
  return {
    clientId: user.clientId,
    accountId: user.accountId,
    description: user.description,
    permissions: [...user.permissions],
    createdAt: user.createdAt.toISOString(),
    secretRotatedAt: user.secretRotatedAt?.toISOString() ?? null,
  };
}

export function toServiceUserCredentialsResponse(user: IssuedServiceUser): ServiceUserCredentialsResponse {
  return { ...toServiceUserResponse(user), clientSecret: user.clientSecret, tokenEndpoint: user.tokenEndpoint };
}

export function toServiceUserPageResponse(page: CountedPage<ServiceUser>): ServiceUserPageResponse {
  return { items: page.items.map(toServiceUserResponse), total: page.total, nextCursor: page.nextCursor };
}
