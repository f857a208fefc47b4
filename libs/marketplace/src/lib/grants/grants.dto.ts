import { z } from 'zod';
import { versionScopingSchema } from '@flexgalaxy/contracts';
import { pageQueryShape, pageResponseSchema, type Page } from '@flexgalaxy/service-kit';
import { versionSchema } from '../listings/listings.dto.js';
import type { Grant } from './domain/grant.js';

export const getListingBodySchema = z
  .object({
    /** seed 000 §3: "This account only" or "Organization-wide (all member accounts)". */
    scope: z.enum(['account', 'org']),
    /** The version got; the latest published by default. What it covers follows the listing's scoping. */
    version: versionSchema.optional(),
  })
  .strict()
  .meta({ id: 'GetListingRequest' });
export type GetListingBody = z.output<typeof getListingBodySchema>;

export const grantIdParamsSchema = z.object({ id: z.uuid() });
export type GrantIdParams = z.output<typeof grantIdParamsSchema>;

export const listGrantsQuerySchema = z.object({
  ...pageQueryShape,
  listingId: z.uuid().optional(),
  status: z.enum(['ACTIVE', 'REVOKED']).optional(),
});
export type ListGrantsQuery = z.output<typeof listGrantsQuerySchema>;

export const grantResponseSchema = z
  .object({
    id: z.string(),
    listingId: z.string(),
    granteeAccountId: z.string(),
    scope: z.enum(['account', 'org']),
    orgRootAccountId: z.string().nullable(),
    versionScoping: versionScopingSchema,
    grantedVersion: z.string(),
    status: z.enum(['ACTIVE', 'REVOKED']),
    createdAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Grant' });
export type GrantResponse = z.output<typeof grantResponseSchema>;

export const grantPageResponseSchema = pageResponseSchema(grantResponseSchema, 'GrantPage');
export type GrantPageResponse = z.output<typeof grantPageResponseSchema>;

export function toGrantResponse(grant: Grant): GrantResponse {
  return {
    id: grant.id,
    listingId: grant.listingId,
    granteeAccountId: grant.granteeAccountId,
    scope: grant.scope,
    orgRootAccountId: grant.orgRootAccountId,
    versionScoping: grant.versionScoping,
    grantedVersion: grant.grantedVersion,
    status: grant.status,
    createdAt: grant.createdAt.toISOString(),
    revokedAt: grant.revokedAt?.toISOString() ?? null,
  };
}

export function toGrantPageResponse(page: Page<Grant>): GrantPageResponse {
  return { items: page.items.map(toGrantResponse), nextCursor: page.nextCursor };
}
