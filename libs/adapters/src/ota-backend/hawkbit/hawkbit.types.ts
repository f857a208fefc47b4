import { z } from 'zod';

// hawkBit Management API answers, parsed at the edge (only the fields the adapter reads).

const id = z.number().int();

export const hawkbitCreatedListSchema = z.array(z.object({ id }).loose()).min(1);

export const hawkbitCreatedTargetsSchema = z.array(z.object({ controllerId: z.string() }).loose()).min(1);

export const hawkbitArtifactSchema = z
  .object({
    id,
    size: z.number().int(),
    hashes: z.object({ sha1: z.string(), md5: z.string(), sha256: z.string() }),
  })
  .loose();

export const hawkbitAssignmentSchema = z
  .object({
    assigned: z.number().int(),
    alreadyAssigned: z.number().int(),
    assignedActions: z.array(z.object({ id }).loose()),
  })
  .loose();

// `status` is "pending" while the action is open and "finished" once closed (installed, failed or
// canceled); hawkBit 1.x adds an `active` flag saying the same, which 0.3 answers lack.
export const hawkbitActionSchema = z
  .object({
    id,
    status: z.string(),
    active: z.boolean().optional(),
    detailStatus: z.string().optional(),
    _links: z
      .object({ distributionset: z.object({ href: z.string() }).optional() })
      .loose()
      .optional(),
  })
  .loose()
  .transform((action) => ({ ...action, active: action.active ?? action.status === 'pending' }));

export const hawkbitActionPageSchema = z.object({ content: z.array(hawkbitActionSchema) }).loose();

export const hawkbitActionStatusPageSchema = z
  .object({ content: z.array(z.object({ id, type: z.string() }).loose()) })
  .loose();

export const hawkbitMetadataPageSchema = z
  .object({ content: z.array(z.object({ key: z.string(), value: z.string().nullish() }).loose()) })
  .loose();

export const hawkbitErrorSchema = z
  .object({ errorCode: z.string().optional(), message: z.string().optional() })
  .loose();

/** hawkBit's two built-in software module types. */
export type HawkbitModuleType = 'os' | 'application';
/** hawkBit's three built-in distribution set types. */
export type HawkbitSetType = 'os' | 'app' | 'os_app';
