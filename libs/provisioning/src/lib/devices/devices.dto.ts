import { deviceTypeSchema, lifecycleStateSchema, provisioningScenarioSchema } from '@flexgalaxy/contracts';
import { z } from 'zod';
import type { HistoryEntry, ProvisionedDevice } from './domain/device.js';
import type { EnrollRequest } from './enrollment.types.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const ianaTimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Berlin');

/** seed 002's enrollment body, snake_case as the seed writes it. */
export const enrollBodySchema = z
  .object({
    scenario: provisioningScenarioSchema,
    device_type: deviceTypeSchema,
    manufacturer: text(128).optional(),
    serial: text(128),
    parent_serial: text(128).optional(),
    firmware_version: text(128).optional(),
    model: text(128).optional(),
    revision: text(64).optional(),
    capabilities: z.array(text(64)).max(64).optional(),
    /**
     * The device's IANA time zone (OTA maintenance windows): UTC for a new device when absent; a
     * device re-provisioned (assembly, field) without one keeps the zone it has.
     */
    timezone: ianaTimeZone.optional(),
    claim_token: z.string().min(8).max(512).optional(),
    pre_shared_token: z.string().min(8).max(512).optional(),
  })
  .strict()
  .superRefine((body, context) => {
    if (body.scenario === 'assembly' && !body.parent_serial) {
      context.addIssue({ code: 'custom', path: ['parent_serial'], message: 'required for assembly' });
    }
    if (body.scenario !== 'assembly' && body.parent_serial) {
      context.addIssue({ code: 'custom', path: ['parent_serial'], message: 'only an assembly names a parent serial' });
    }
    if (body.scenario !== 'field') {
      for (const field of ['claim_token', 'pre_shared_token'] as const) {
        if (body[field])
          context.addIssue({ code: 'custom', path: [field], message: 'factory and assembly enroll with mTLS' });
      }
    }
    if (body.claim_token && body.pre_shared_token) {
      context.addIssue({
        code: 'custom',
        path: ['pre_shared_token'],
        message: 'give claim_token or pre_shared_token, not both',
      });
    }
    if (body.parent_serial && body.parent_serial === body.serial) {
      context.addIssue({
        code: 'custom',
        path: ['serial'],
        message: "must differ from the controller's parent_serial",
      });
    }
  })
  .meta({ id: 'EnrollRequest' });
export type EnrollBody = z.output<typeof enrollBodySchema>;

export function toEnrollRequest(body: EnrollBody): EnrollRequest {
  return {
    scenario: body.scenario,
    deviceType: body.device_type,
    manufacturer: body.manufacturer,
    serial: body.serial,
    parentSerial: body.parent_serial,
    firmwareVersion: body.firmware_version,
    model: body.model,
    revision: body.revision,
    capabilities: body.capabilities,
    timezone: body.timezone,
    claimToken: body.claim_token,
    preSharedToken: body.pre_shared_token,
  };
}

const credentialsSchema = z.object({
  mqtt: z.object({ host: z.string(), port: z.number().int(), accessToken: z.string() }),
  ddi: z.object({ baseUrl: z.string(), tenant: z.string(), controllerId: z.string(), securityToken: z.string() }),
  m2m: z.object({ clientId: z.string(), clientSecret: z.string(), tokenEndpoint: z.string() }).optional(),
});

export const enrollmentResponseSchema = z
  .object({
    deviceId: z.string(),
    state: lifecycleStateSchema,
    accountId: z.string(),
    /** Shown this once: every secret is stored only as a hash. */
    credentials: credentialsSchema,
  })
  .meta({ id: 'Enrollment' });

export const deviceIdParamsSchema = z.object({ id: z.string().min(1).max(128) });
export type DeviceIdParams = z.output<typeof deviceIdParamsSchema>;

export const transferBodySchema = z
  .object({
    targetAccountId: text(128),
    applicationTelemetry: z.enum(['stay', 'follow']).optional(),
    reason: text(500).optional(),
  })
  .strict()
  .meta({ id: 'TransferDeviceRequest' });
export type TransferBody = z.output<typeof transferBodySchema>;

export const transferResponseSchema = z
  .object({
    deviceId: z.string(),
    state: lifecycleStateSchema,
    accountId: z.string(),
    previousAccountId: z.string(),
    credentials: credentialsSchema,
    telemetry: z.object({ moved: z.array(z.string()), retained: z.array(z.string()) }),
  })
  .meta({ id: 'DeviceTransfer' });

// The body is optional: `POST …/suspend` with no body suspends without a reason.
export const stateChangeBodySchema = z
  .object({ reason: text(500).optional() })
  .strict()
  .default({})
  .meta({ id: 'DeviceStateChangeRequest' });
export type StateChangeBody = z.output<typeof stateChangeBodySchema>;

export const deviceStatusResponseSchema = z
  .object({ deviceId: z.string(), state: lifecycleStateSchema, accountId: z.string() })
  .meta({ id: 'DeviceStatus' });

const historyEntrySchema = z.object({
  action: z.string(),
  fromState: lifecycleStateSchema.nullable(),
  toState: lifecycleStateSchema,
  accountId: z.string(),
  actor: z.string(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  occurredAt: z.iso.datetime(),
});

export const deviceResponseSchema = z
  .object({
    deviceId: z.string(),
    accountId: z.string(),
    state: lifecycleStateSchema,
    suspendedFrom: lifecycleStateSchema.nullable(),
    manufacturer: z.string(),
    serial: z.string(),
    controllerSerial: z.string().nullable(),
    type: z.string(),
    model: z.string().nullable(),
    revision: z.string().nullable(),
    firmwareVersion: z.string().nullable(),
    capabilities: z.array(z.string()),
    timezone: z.string(),
    priority: z.string().nullable(),
    identityMethod: z.string(),
    hasM2mClient: z.boolean(),
    /** True when the caller sees the device through a descendant account: it may read, not change it. */
    readOnly: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    history: z.array(historyEntrySchema),
  })
  .meta({ id: 'ProvisionedDevice' });
export type DeviceResponse = z.output<typeof deviceResponseSchema>;

export function toDeviceResponse(
  device: ProvisionedDevice,
  history: HistoryEntry[],
  readOnly: boolean,
): DeviceResponse {
  return {
    deviceId: device.id,
    accountId: device.accountId,
    state: device.state,
    suspendedFrom: device.suspendedFrom,
    manufacturer: device.manufacturer,
    serial: device.serial,
    controllerSerial: device.controllerSerial,
    type: device.type,
    model: device.model,
    revision: device.revision,
    firmwareVersion: device.firmwareVersion,
    capabilities: [...device.capabilities],
    timezone: device.timezone,
    priority: device.priority,
    identityMethod: device.identityMethod,
    hasM2mClient: device.m2mClientId !== null,
    readOnly,
    createdAt: device.createdAt.toISOString(),
    updatedAt: device.updatedAt.toISOString(),
    history: history.map((entry) => ({
      action: entry.action,
      fromState: entry.fromState,
      toState: entry.toState,
      accountId: entry.accountId,
      actor: entry.actor,
      reason: entry.reason,
      details: entry.details,
      occurredAt: entry.occurredAt.toISOString(),
    })),
  };
}
