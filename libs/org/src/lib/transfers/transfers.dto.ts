import { z } from 'zod';
import type { BatchTransferResult } from './transfers.service.js';

export const batchTransferBodySchema = z
  .object({
    deviceIds: z
      .array(z.string().min(1).max(128))
      .min(1)
      .max(500)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a device id'),
    targetAccountId: z.string().min(1).max(128),
    /** seed 000 §5: whether application telemetry follows the devices (provisioning's default otherwise). */
    applicationTelemetry: z.enum(['stay', 'follow']).optional(),
  })
  .strict()
  .meta({ id: 'BatchTransferRequest' });
export type BatchTransferBody = z.output<typeof batchTransferBodySchema>;

const resultSchema = z.object({
  deviceId: z.string(),
  status: z.enum(['transferred', 'failed']),
  httpStatus: z.number().int(),
  accountId: z.string().optional(),
  previousAccountId: z.string().optional(),
  /** The device's new credentials (every one was rotated): shown once, hand them to the device. */
  credentials: z.record(z.string(), z.unknown()).optional(),
  telemetry: z.object({ moved: z.array(z.string()), retained: z.array(z.string()) }).optional(),
  error: z
    .object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })
    .optional(),
});

export const batchTransferResponseSchema = z
  .object({
    targetAccountId: z.string(),
    total: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    results: z.array(resultSchema),
  })
  .meta({ id: 'BatchTransferResult' });
export type BatchTransferResponse = z.output<typeof batchTransferResponseSchema>;

export function toBatchTransferResponse(result: BatchTransferResult): BatchTransferResponse {
  return {
    targetAccountId: result.targetAccountId,
    total: result.results.length,
    succeeded: result.results.filter((item) => item.status === 'transferred').length,
    failed: result.results.filter((item) => item.status === 'failed').length,
    results: result.results.map((item) => ({ ...item })),
  };
}
