import { z } from 'zod';
import { isTimeZone } from '../rollouts/domain/maintenance-window.js';
import { controllerIdSchema } from '../shared/ids.js';
import type { Target } from './domain/target.js';

const text = (max: number) => z.string().min(1).max(max);

const attributesShape = {
  type: text(64),
  model: text(128).nullable(),
  revision: text(64).nullable(),
  manufacturer: text(128),
  serial: text(128),
  firmwareVersion: text(64).nullable(),
  capabilities: z.array(text(64)).max(64),
  timezone: text(64).refine(isTimeZone, 'must be an IANA time zone, e.g. Asia/Tokyo').nullable(),
};

export const targetAttributesSchema = z.object(attributesShape).strict().meta({ id: 'OtaTargetAttributes' });

/** The DDI security token in clear: shown to OTA Forge once, stored as its sha256. */
const securityTokenSchema = z
  .string()
  .min(32)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces');

export const controllerIdParamsSchema = z.object({ controllerId: controllerIdSchema });
export type ControllerIdParams = z.output<typeof controllerIdParamsSchema>;

export const putTargetBodySchema = z
  .object({
    accountId: text(128),
    name: text(256),
    securityToken: securityTokenSchema,
    attributes: targetAttributesSchema,
  })
  .strict()
  .meta({ id: 'OtaTargetPut' });
export type PutTargetBody = z.output<typeof putTargetBodySchema>;

export const patchTargetBodySchema = z
  .object({
    accountId: text(128).optional(),
    securityToken: securityTokenSchema.optional(),
    attributes: z.object(attributesShape).partial().strict().optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' })
  .meta({ id: 'OtaTargetPatch' });
export type PatchTargetBody = z.output<typeof patchTargetBodySchema>;

export const targetResponseSchema = z
  .object({
    controllerId: z.string(),
    accountId: z.string(),
    enabled: z.boolean(),
    attributes: targetAttributesSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'OtaTarget' });
export type TargetResponse = z.output<typeof targetResponseSchema>;

export function toTargetResponse(target: Target): TargetResponse {
  const a = target.attributes;
  return {
    controllerId: target.controllerId,
    accountId: target.accountId,
    enabled: target.enabled,
    attributes: {
      type: a.type,
      model: a.model,
      revision: a.revision,
      manufacturer: a.manufacturer,
      serial: a.serial,
      firmwareVersion: a.firmwareVersion,
      capabilities: a.capabilities,
      timezone: a.timezone,
    },
    createdAt: target.createdAt.toISOString(),
    updatedAt: target.updatedAt.toISOString(),
  };
}
