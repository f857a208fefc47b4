import { z } from 'zod';
import { defineEvent } from './envelope.js';

/** seed 000 §3 "Version Scoping": what a "Get" covers. */
export const versionScopingSchema = z.enum(['all', 'major', 'exact']);
export const softwareCategorySchema = z.enum(['device_bound', 'application']);
export const licenseTriggerSchema = z.enum(['on_install', 'on_activation', 'on_download', 'on_install_validated']);

export const listingPublished = defineEvent(
  'listing.published',
  1,
  z.object({
    listingId: z.string().min(1),
    developerAccountId: z.string().min(1),
    name: z.string().min(1),
    version: z.string().min(1),
    category: softwareCategorySchema,
    versionScoping: versionScopingSchema,
    licensePolicy: z.object({
      softwareType: z.string().min(1),
      licenseType: z.string().min(1),
      trigger: licenseTriggerSchema,
    }),
  }),
);

export const marketplaceGrantCreated = defineEvent(
  'marketplace.grant.created',
  1,
  z.object({
    grantId: z.string().min(1),
    listingId: z.string().min(1),
    granteeAccountId: z.string().min(1),
    scope: z.enum(['account', 'org']),
    orgRootAccountId: z.string().min(1).nullable(),
    versionScoping: versionScopingSchema,
    grantedVersion: z.string().min(1),
  }),
);

export const marketplaceGrantRevoked = defineEvent(
  'marketplace.grant.revoked',
  1,
  z.object({ grantId: z.string().min(1), listingId: z.string().min(1) }),
);
