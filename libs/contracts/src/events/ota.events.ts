import { z } from 'zod';
import { defineEvent } from './envelope.js';

export const otaActionCreated = defineEvent(
  'ota.action.created',
  1,
  z.object({
    actionId: z.string().min(1),
    deviceId: z.string().min(1),
    distributionSetId: z.string().min(1),
    policyId: z.string().min(1).nullable(),
    listingId: z.string().min(1).nullable(),
    softwareVersion: z.string().min(1),
  }),
);

export const otaActionStatusSchema = z.enum(['downloading', 'downloaded', 'installed', 'failed']);

export const otaActionStatusChanged = defineEvent(
  'ota.action.status_changed',
  1,
  z.object({
    actionId: z.string().min(1),
    deviceId: z.string().min(1),
    distributionSetId: z.string().min(1),
    listingId: z.string().min(1).nullable(),
    softwareVersion: z.string().min(1),
    status: otaActionStatusSchema,
    details: z.array(z.string()).default([]),
  }),
);
