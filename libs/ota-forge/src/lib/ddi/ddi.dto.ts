import { z } from 'zod';
import { artifactFilenameSchema } from '../catalog/catalog.dto.js';
import { DDI_EXECUTIONS, DDI_FINISHED } from '../rollouts/domain/feedback.js';
import type { Feedback } from '../rollouts/use-cases/record-feedback.use-case.js';
import { controllerIdSchema, numericIdSchema } from '../shared/ids.js';

export const ddiRootParamsSchema = z.object({ tenant: z.string().min(1).max(64), controllerId: controllerIdSchema });
export type DdiRootParams = z.output<typeof ddiRootParamsSchema>;

export const ddiActionParamsSchema = ddiRootParamsSchema.extend({ actionId: numericIdSchema });
export type DdiActionParams = z.output<typeof ddiActionParamsSchema>;

export const ddiArtifactParamsSchema = ddiRootParamsSchema.extend({
  moduleId: numericIdSchema,
  filename: artifactFilenameSchema,
});
export type DdiArtifactParams = z.output<typeof ddiArtifactParamsSchema>;

export const deploymentQuerySchema = z.object({
  /** hawkBit's cache-busting link parameter; accepted and ignored. */
  c: z.coerce.number().int().optional(),
  /** How many history messages to include; negative = all, 0 = none (hawkBit's actionHistory). */
  actionHistory: z.coerce.number().int().min(-1).max(1000).default(0),
});
export type DeploymentQuery = z.output<typeof deploymentQuerySchema>;

// Not .strict(): hawkBit ignores unknown properties (older DDI clients still send `id` and
// `time`), and a hawkBit client must work unchanged.
export const feedbackBodySchema = z
  .object({
    // The action id, which hawkBit's DDI up to 0.3 requires in the body (equal to the path's).
    id: z.union([z.string().max(20), z.number().int()]).optional(),
    timestamp: z.number().int().min(0).optional(),
    status: z.object({
      execution: z.enum(DDI_EXECUTIONS),
      result: z.object({
        finished: z.enum(DDI_FINISHED),
        progress: z.object({ cnt: z.number().int().min(0), of: z.number().int().min(0).optional() }).optional(),
      }),
      code: z.number().int().optional(),
      details: z.array(z.string().max(1000)).max(100).optional(),
    }),
  })
  .meta({ id: 'DdiActionFeedback' });
export type FeedbackBody = z.output<typeof feedbackBodySchema>;

/** DDI feedback as the feedback use case takes it. */
export function toFeedback(body: FeedbackBody): Feedback {
  return {
    execution: body.status.execution,
    finished: body.status.result.finished,
    progress: body.status.result.progress
      ? { cnt: body.status.result.progress.cnt, of: body.status.result.progress.of ?? null }
      : null,
    code: body.status.code ?? null,
    details: body.status.details ?? [],
    reportedAt: body.timestamp !== undefined ? new Date(body.timestamp) : new Date(),
  };
}

export const configDataBodySchema = z
  .object({
    data: z
      .record(z.string().min(1).max(128), z.string().max(1024))
      .refine((data) => Object.keys(data).length > 0, 'must not be empty')
      .refine((data) => Object.keys(data).length <= 100, 'at most 100 attributes'),
    mode: z.enum(['merge', 'replace', 'remove']).default('merge'),
  })
  .meta({ id: 'DdiConfigData' });
export type ConfigDataBody = z.output<typeof configDataBodySchema>;

const link = z.object({ href: z.string() });

export const controllerBaseSchema = z
  .object({
    config: z.object({ polling: z.object({ sleep: z.string() }) }),
    _links: z
      .object({
        deploymentBase: link.optional(),
        cancelAction: link.optional(),
        installedBase: link.optional(),
        configData: link.optional(),
      })
      .optional(),
  })
  .meta({ id: 'DdiControllerBase' });
export type ControllerBase = z.output<typeof controllerBaseSchema>;

const handling = z.enum(['skip', 'attempt', 'forced']);

export const deploymentBaseSchema = z
  .object({
    id: z.string(),
    deployment: z.object({
      download: handling,
      update: handling,
      maintenanceWindow: z.enum(['available', 'unavailable']).optional(),
      chunks: z.array(
        z.object({
          part: z.string(),
          version: z.string(),
          name: z.string(),
          artifacts: z.array(
            z.object({
              filename: z.string(),
              hashes: z.object({ sha1: z.string(), md5: z.string(), sha256: z.string() }),
              size: z.number().int(),
              _links: z.record(z.string(), link),
            }),
          ),
        }),
      ),
    }),
    actionHistory: z.object({ status: z.string(), messages: z.array(z.string()) }).optional(),
  })
  .meta({ id: 'DdiDeploymentBase' });
export type DeploymentBase = z.output<typeof deploymentBaseSchema>;

export const cancelSchema = z
  .object({ id: z.string(), cancelAction: z.object({ stopId: z.string() }) })
  .meta({ id: 'DdiCancel' });
export type CancelResponse = z.output<typeof cancelSchema>;
