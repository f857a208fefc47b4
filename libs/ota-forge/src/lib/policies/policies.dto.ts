import { z } from 'zod';
import { POLICY_LIMITS } from '@flexgalaxy/targeting';
import { isClockTime } from '../rollouts/domain/maintenance-window.js';
import type { Policy } from '../rollouts/domain/policy.js';
import { isValidWavePlan } from '../rollouts/domain/waves.js';
import { numericIdSchema } from '../shared/ids.js';

const clock = z.string().refine(isClockTime, 'must be HH:MM (00:00–23:59)');

const constraintsSchema = z
  .object({
    /** Deliver only while the battery is above this percentage. */
    minBattery: z.number().int().min(0).max(99).nullable().default(null),
    /** Deliver only while the device is not executing a task. */
    notExecutingTask: z.boolean().default(false),
    /** Daily window in the device's local time; start after end crosses midnight. */
    maintenanceWindow: z
      .object({ start: clock, end: clock })
      .strict()
      .refine((w) => w.start !== w.end, { message: 'start and end must differ', path: ['end'] })
      .nullable()
      .default(null),
    maxConcurrent: z.number().int().min(1).max(1_000_000).nullable().default(null),
  })
  .strict();

const wavesSchema = z
  .object({
    /** Cumulative share of the matched targets per wave, ending at 100: [10, 50, 100]. */
    percentages: z
      .array(z.number().int())
      .min(1)
      .max(20)
      .refine(isValidWavePlan, 'must increase strictly, each within 1–100, and end at 100'),
    successThreshold: z.number().int().min(1).max(100),
    errorThreshold: z.number().int().min(1).max(100),
  })
  .strict();

const retrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(20),
    backoffSeconds: z.number().int().min(0).max(86_400).default(60),
    backoffMultiplier: z.number().min(1).max(10).default(2),
  })
  .strict();

const nameSchema = z.string().trim().min(1).max(200);
const expressionSchema = z.string().min(1).max(POLICY_LIMITS.maxLength);
const actionTypeSchema = z.enum(['forced', 'soft', 'downloadonly']);

export const createPolicyBodySchema = z
  .object({
    name: nameSchema,
    targetExpression: expressionSchema,
    distributionSetId: numericIdSchema,
    listingId: z.string().min(1).max(128).nullable().default(null),
    /** Taken from the listing when OTA Forge knows it; otherwise this (default application). */
    category: z.enum(['device_bound', 'application']).optional(),
    actionType: actionTypeSchema.default('forced'),
    constraints: constraintsSchema.default({
      minBattery: null,
      notExecutingTask: false,
      maintenanceWindow: null,
      maxConcurrent: null,
    }),
    waves: wavesSchema.nullable().default(null),
    retry: retrySchema.default({ maxAttempts: 1, backoffSeconds: 60, backoffMultiplier: 2 }),
  })
  .strict()
  .meta({ id: 'OtaPolicyCreate' });
export type CreatePolicyBody = z.output<typeof createPolicyBodySchema>;

export const patchPolicyBodySchema = z
  .object({
    name: nameSchema.optional(),
    targetExpression: expressionSchema.optional(),
    distributionSetId: numericIdSchema.optional(),
    actionType: actionTypeSchema.optional(),
    constraints: constraintsSchema.optional(),
    waves: wavesSchema.nullable().optional(),
    retry: retrySchema.optional(),
    status: z.enum(['active', 'paused']).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'nothing to change' })
  .meta({ id: 'OtaPolicyPatch' });
export type PatchPolicyBody = z.output<typeof patchPolicyBodySchema>;

export const policyIdParamsSchema = z.object({ id: z.uuid() });
export type PolicyIdParams = z.output<typeof policyIdParamsSchema>;

export const policyResponseSchema = z
  .object({
    id: z.string(),
    ownerAccountId: z.string(),
    name: z.string(),
    targetExpression: z.string(),
    distributionSetId: z.number().int(),
    listingId: z.string().nullable(),
    category: z.enum(['device_bound', 'application']),
    actionType: actionTypeSchema,
    constraints: z.object({
      minBattery: z.number().int().nullable(),
      notExecutingTask: z.boolean(),
      maintenanceWindow: z.object({ start: z.string(), end: z.string() }).nullable(),
      maxConcurrent: z.number().int().nullable(),
    }),
    waves: z
      .object({ percentages: z.array(z.number().int()), successThreshold: z.number(), errorThreshold: z.number() })
      .nullable(),
    currentWave: z.number().int(),
    retry: z.object({ maxAttempts: z.number().int(), backoffSeconds: z.number().int(), backoffMultiplier: z.number() }),
    status: z.enum(['active', 'paused', 'aborted', 'deleted']),
    /** Actions this write created for targets already there (its first chunk of them). */
    matched: z.number().int().optional(),
    /**
     * The bulk match over the targets there when the policy was (re)matched: `complete` once every
     * one was gone through (large fleets are matched chunk after chunk, after the write answered).
     */
    bulkMatch: z.object({
      complete: z.boolean(),
      targetsDone: z.number().int(),
      targetsTotal: z.number().int().nullable(),
    }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'OtaPolicy' });
export type PolicyResponse = z.output<typeof policyResponseSchema>;

export const policyListResponseSchema = z.object({ items: z.array(policyResponseSchema) }).meta({ id: 'OtaPolicies' });

export function toPolicyResponse(policy: Policy, matched?: number): PolicyResponse {
  return {
    id: policy.id,
    ownerAccountId: policy.ownerAccountId,
    name: policy.name,
    targetExpression: policy.targetExpression,
    distributionSetId: policy.distributionSetId,
    listingId: policy.listingId,
    category: policy.category,
    actionType: policy.actionType,
    constraints: {
      minBattery: policy.constraints.minBattery,
      notExecutingTask: policy.constraints.requireIdle,
      maintenanceWindow: policy.constraints.maintenanceWindow,
      maxConcurrent: policy.constraints.maxConcurrent,
    },
    waves: policy.waves,
    currentWave: policy.currentWave,
    retry: policy.retry,
    status: policy.status,
    ...(matched !== undefined ? { matched } : {}),
    bulkMatch: {
      complete: !policy.bulkMatch.pending,
      targetsDone: policy.bulkMatch.done,
      targetsTotal: policy.bulkMatch.candidates,
    },
    createdAt: policy.createdAt.toISOString(),
    updatedAt: policy.updatedAt.toISOString(),
  };
}
