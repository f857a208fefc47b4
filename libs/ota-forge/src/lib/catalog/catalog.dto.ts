import { z } from 'zod';
import { numericIdSchema } from '../shared/ids.js';
import type { Artifact, DistributionSet, SoftwareModule } from './catalog.repository.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const createModuleBodySchema = z
  .object({
    name: text(128),
    version: text(64),
    /** The chunk `part` devices see (hawkBit's software module type key): os, application, … */
    type: z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'letters, digits, "_", "." and "-" only'),
    vendor: text(128).nullable().default(null),
    description: text(1000).nullable().default(null),
  })
  .strict()
  .meta({ id: 'OtaSoftwareModuleCreate' });
export type CreateModuleBody = z.output<typeof createModuleBodySchema>;

export const createSetBodySchema = z
  .object({
    name: text(128),
    version: text(64),
    description: text(1000).nullable().default(null),
    modules: z
      .array(numericIdSchema)
      .min(1)
      .max(32)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a module'),
  })
  .strict()
  .meta({ id: 'OtaDistributionSetCreate' });
export type CreateSetBody = z.output<typeof createSetBodySchema>;

export const idParamsSchema = z.object({ id: numericIdSchema });
export type IdParams = z.output<typeof idParamsSchema>;

/** A file name as it appears in a DDI download path: one segment, no traversal. */
export const artifactFilenameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._+-]+$/, 'letters, digits and . _ + - only')
  .refine((name) => name !== '.' && name !== '..', 'not a file name');

export const uploadQuerySchema = z.object({ filename: artifactFilenameSchema });
export type UploadQuery = z.output<typeof uploadQuerySchema>;

export const artifactResponseSchema = z
  .object({
    id: z.number().int(),
    filename: z.string(),
    size: z.number().int(),
    hashes: z.object({ sha1: z.string(), md5: z.string(), sha256: z.string() }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'OtaArtifact' });
export type ArtifactResponse = z.output<typeof artifactResponseSchema>;

export const moduleResponseSchema = z
  .object({
    id: z.number().int(),
    ownerAccountId: z.string(),
    name: z.string(),
    version: z.string(),
    type: z.string(),
    vendor: z.string().nullable(),
    description: z.string().nullable(),
    artifacts: z.array(artifactResponseSchema),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'OtaSoftwareModule' });
export type ModuleResponse = z.output<typeof moduleResponseSchema>;

export const setResponseSchema = z
  .object({
    id: z.number().int(),
    ownerAccountId: z.string(),
    name: z.string(),
    version: z.string(),
    description: z.string().nullable(),
    modules: z.array(moduleResponseSchema),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'OtaDistributionSet' });
export type SetResponse = z.output<typeof setResponseSchema>;

export const moduleListResponseSchema = z
  .object({ items: z.array(moduleResponseSchema) })
  .meta({ id: 'OtaSoftwareModules' });
export const setListResponseSchema = z
  .object({ items: z.array(setResponseSchema) })
  .meta({ id: 'OtaDistributionSets' });

export function toArtifactResponse(artifact: Artifact): ArtifactResponse {
  return {
    id: artifact.id,
    filename: artifact.filename,
    size: artifact.size,
    hashes: { sha1: artifact.sha1, md5: artifact.md5, sha256: artifact.sha256 },
    createdAt: artifact.createdAt.toISOString(),
  };
}

export function toModuleResponse(module: SoftwareModule): ModuleResponse {
  return {
    id: module.id,
    ownerAccountId: module.ownerAccountId,
    name: module.name,
    version: module.version,
    type: module.type,
    vendor: module.vendor,
    description: module.description,
    artifacts: module.artifacts.map(toArtifactResponse),
    createdAt: module.createdAt.toISOString(),
  };
}

export function toSetResponse(set: DistributionSet): SetResponse {
  return {
    id: set.id,
    ownerAccountId: set.ownerAccountId,
    name: set.name,
    version: set.version,
    description: set.description,
    modules: set.modules.map(toModuleResponse),
    createdAt: set.createdAt.toISOString(),
  };
}
