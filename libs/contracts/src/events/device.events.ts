import { z } from 'zod';
import { defineEvent } from './envelope.js';

export const deviceTypeSchema = z.string().min(1).max(64);
export const provisioningScenarioSchema = z.enum(['factory', 'assembly', 'field']);
export const lifecycleStateSchema = z.enum([
  'UNMANAGED',
  'FACTORY_PROVISIONED',
  'ASSEMBLED',
  'FIELD_ACTIVE',
  'SUSPENDED',
  'DECOMMISSIONED',
  'REJECTED',
]);

/** Static attributes a device carries into policy matching (seed 000 §2 "Attribute Sources"). */
export const deviceAttributesSchema = z.object({
  type: deviceTypeSchema,
  manufacturer: z.string().min(1),
  model: z.string().min(1).nullable(),
  revision: z.string().min(1).nullable(),
  serial: z.string().min(1),
  firmwareVersion: z.string().min(1).nullable(),
  capabilities: z.array(z.string().min(1)),
});

export const deviceProvisioned = defineEvent(
  'device.provisioned',
  1,
  z.object({
    deviceId: z.string().min(1),
    accountId: z.string().min(1),
    scenario: provisioningScenarioSchema,
    state: lifecycleStateSchema,
    attributes: deviceAttributesSchema,
  }),
);

export const deviceUpgraded = defineEvent(
  'device.upgraded',
  1,
  z.object({
    deviceId: z.string().min(1),
    accountId: z.string().min(1),
    previousType: deviceTypeSchema,
    state: lifecycleStateSchema,
    attributes: deviceAttributesSchema,
  }),
);

export const deviceTransferred = defineEvent(
  'device.transferred',
  1,
  z.object({
    deviceId: z.string().min(1),
    fromAccountId: z.string().min(1),
    toAccountId: z.string().min(1),
    state: lifecycleStateSchema,
    attributes: deviceAttributesSchema,
  }),
);

export const deviceCredentialsRotated = defineEvent(
  'device.credentials_rotated',
  1,
  z.object({
    deviceId: z.string().min(1),
    credentials: z.array(z.enum(['mqtt', 'ddi', 'm2m'])).min(1),
    /** The owner (provisioning always sets it; optional so that older events still parse). */
    accountId: z.string().min(1).optional(),
  }),
);

const deviceStateChange = z.object({
  deviceId: z.string().min(1),
  reason: z.string().max(500).nullable(),
  /** The owner and the state reached (provisioning always sets them; optional for older events). */
  accountId: z.string().min(1).optional(),
  state: lifecycleStateSchema.optional(),
  attributes: deviceAttributesSchema.optional(),
});

export const deviceSuspended = defineEvent('device.suspended', 1, deviceStateChange);
export const deviceReactivated = defineEvent('device.reactivated', 1, deviceStateChange);
export const deviceDecommissioned = defineEvent('device.decommissioned', 1, deviceStateChange);
