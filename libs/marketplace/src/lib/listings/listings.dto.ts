import { z } from 'zod';
import { licenseTriggerSchema, softwareCategorySchema, versionScopingSchema } from '@flexgalaxy/contracts';
import { pageQueryShape, pageResponseSchema, type Page } from '@flexgalaxy/service-kit';
import { VERSION_PATTERN, type Listing, type ListingVersion } from './domain/listing.js';

const term = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}$/, '1-64 letters, digits, space or . _ : / -');

export const licensePolicySchema = z
  .object({
    /** e.g. firmware, saas_applet, map_data, ml_model (seed 000 §4). */
    softwareType: term,
    /** e.g. per-device perpetual, subscription, per-update consumable, per-device version-locked. */
    licenseType: term,
    trigger: licenseTriggerSchema,
  })
  .strict()
  .meta({ id: 'LicenseIssuancePolicy' });

export const versionSchema = z
  .string()
  .max(64)
  .regex(VERSION_PATTERN, 'must look like 3, 3.1 or 3.1.0 (optionally -pre / +build)');

const listingFields = {
  softwareId: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, '2-64 lower-case letters, digits, . _ -'),
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5000),
  category: softwareCategorySchema,
  /** The compatible devices, in the OTA policy language (e.g. `type = "amr" AND model = "X1" AND revision >= "r3"`). */
  compatibleDevices: z.string().min(1).max(4096),
  versionScoping: versionScopingSchema,
  /** Required: seed 000 §4, no offer without a license issuance policy. */
  licensePolicy: licensePolicySchema,
};

export const createListingBodySchema = z
  .object({ ...listingFields, description: listingFields.description.default('') })
  .strict()
  .meta({ id: 'ListingCreate' });
export type CreateListingBody = z.output<typeof createListingBodySchema>;

export const updateListingBodySchema = z
  .object(listingFields)
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' })
  .meta({ id: 'ListingUpdate' });
export type UpdateListingBody = z.output<typeof updateListingBodySchema>;

export const publishVersionBodySchema = z
  .object({ version: versionSchema, releaseNotes: z.string().trim().max(5000).default('') })
  .strict()
  .meta({ id: 'ListingVersionPublish' });
export type PublishVersionBody = z.output<typeof publishVersionBodySchema>;

export const listingIdParamsSchema = z.object({ id: z.uuid() });
export type ListingIdParams = z.output<typeof listingIdParamsSchema>;

export const listListingsQuerySchema = z.object({
  ...pageQueryShape,
  category: softwareCategorySchema.optional(),
  developerAccountId: z.string().min(1).max(200).optional(),
  status: z.enum(['DRAFT', 'PUBLISHED']).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});
export type ListListingsQuery = z.output<typeof listListingsQuerySchema>;

export const listingResponseSchema = z
  .object({
    id: z.string(),
    developerAccountId: z.string(),
    softwareId: z.string(),
    name: z.string(),
    description: z.string(),
    category: softwareCategorySchema,
    compatibleDevices: z.string(),
    versionScoping: versionScopingSchema,
    licensePolicy: licensePolicySchema,
    status: z.enum(['DRAFT', 'PUBLISHED']),
    latestVersion: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    publishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Listing' });
export type ListingResponse = z.output<typeof listingResponseSchema>;

export const listingPageResponseSchema = pageResponseSchema(listingResponseSchema, 'ListingPage');
export type ListingPageResponse = z.output<typeof listingPageResponseSchema>;

export const versionResponseSchema = z
  .object({ version: z.string(), major: z.number().int(), releaseNotes: z.string(), publishedAt: z.iso.datetime() })
  .meta({ id: 'ListingVersion' });
export type VersionResponse = z.output<typeof versionResponseSchema>;

export const versionListResponseSchema = z
  .object({ items: z.array(versionResponseSchema) })
  .meta({ id: 'ListingVersionList' });

export const publishedResponseSchema = z
  .object({ listing: listingResponseSchema, version: versionResponseSchema })
  .meta({ id: 'ListingVersionPublished' });
export type PublishedResponse = z.output<typeof publishedResponseSchema>;

export function toListingResponse(listing: Listing): ListingResponse {
  return {
    id: listing.id,
    developerAccountId: listing.developerAccountId,
    softwareId: listing.softwareId,
    name: listing.name,
    description: listing.description,
    category: listing.category,
    compatibleDevices: listing.compatibleDevices,
    versionScoping: listing.versionScoping,
    licensePolicy: { ...listing.licensePolicy },
    status: listing.status,
    latestVersion: listing.latestVersion,
    createdAt: listing.createdAt.toISOString(),
    updatedAt: listing.updatedAt.toISOString(),
    publishedAt: listing.publishedAt?.toISOString() ?? null,
  };
}

export function toVersionResponse(version: ListingVersion): VersionResponse {
  return {
    version: version.version,
    major: version.major,
    releaseNotes: version.releaseNotes,
    publishedAt: version.publishedAt.toISOString(),
  };
}

export function toListingPageResponse(page: Page<Listing>): ListingPageResponse {
  return { items: page.items.map(toListingResponse), nextCursor: page.nextCursor };
}
