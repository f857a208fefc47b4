import { z } from 'zod';
import { defineEvent } from './envelope.js';

export const accountKindSchema = z.enum(['developer', 'maker', 'member', 'end_user', 'platform']);

export const orgAccountCreated = defineEvent(
  'org.account.created',
  1,
  z.object({
    accountId: z.string().min(1),
    name: z.string().min(1),
    kind: accountKindSchema,
    parentAccountId: z.string().min(1).nullable(),
    orgRootAccountId: z.string().min(1),
    /**
     * Materialized ancestor path, "/rootId/…/accountId/", the form every visibility check takes
     * (libs/auth visibility). Org always sets it; optional only so that events written before it
     * existed still parse.
     */
    path: z
      .string()
      .regex(/^\/(?:[^/]+\/)+$/, 'must look like /rootId/…/accountId/')
      .optional(),
  }),
);

/** seed 000 §5 "Telemetry Transfer Rules": which telemetry types moved and which stayed. */
export const telemetryTransferCompleted = defineEvent(
  'telemetry.transfer.completed',
  1,
  z.object({
    deviceId: z.string().min(1),
    fromAccountId: z.string().min(1),
    toAccountId: z.string().min(1),
    moved: z.array(z.string().min(1)),
    retained: z.array(z.string().min(1)),
  }),
);
