import { z } from 'zod';

// ThingsBoard's REST payloads (thingsboard/thingsboard, common/data). They stay in this folder:
// thingsboard.mapper.ts turns them into port types. Answers are parsed, never trusted; objects are
// loose so that a device saved back keeps the fields we do not model (deviceData, firmwareId …).

export const tbEntityIdSchema = z.object({ entityType: z.string(), id: z.string() });
export type TbEntityId = z.infer<typeof tbEntityIdSchema>;

/** ModelConstants.NULL_UUID: the `customerId` of a device assigned to no customer. */
export const TB_NULL_UUID = '13814000-1dd2-11b2-8080-808080808080';

/** `POST /api/auth/login` answer (JwtPair). */
export const tbLoginResponseSchema = z.looseObject({ token: z.string().min(1), refreshToken: z.string().optional() });

/** Device (common/data/Device.java). `name` is unique per tenant; `type` names the device profile. */
export const tbDeviceSchema = z.looseObject({
  id: tbEntityIdSchema,
  createdTime: z.number().optional(),
  tenantId: tbEntityIdSchema.nullish(),
  customerId: tbEntityIdSchema.nullish(),
  name: z.string(),
  type: z.string().nullish(),
  label: z.string().nullish(),
  deviceProfileId: tbEntityIdSchema.nullish(),
  additionalInfo: z.unknown().optional(),
  version: z.number().nullish(),
});
export type TbDevice = z.infer<typeof tbDeviceSchema>;

/** Body of `POST /api/device` when creating: no id, ThingsBoard assigns one. */
export interface TbNewDevice {
  name: string;
  label: string;
  type: string;
  additionalInfo: Record<string, unknown>;
}

/** DeviceCredentials (common/data/security/DeviceCredentials.java), ACCESS_TOKEN type. */
export const tbDeviceCredentialsSchema = z.looseObject({
  id: z.object({ id: z.string() }),
  deviceId: tbEntityIdSchema,
  credentialsType: z.string(),
  credentialsId: z.string(),
  credentialsValue: z.string().nullish(),
  version: z.number().nullish(),
});
export type TbDeviceCredentials = z.infer<typeof tbDeviceCredentialsSchema>;

/** Customer (common/data/Customer.java); `title` is unique per tenant. */
export const tbCustomerSchema = z.looseObject({ id: tbEntityIdSchema, title: z.string() });
export type TbCustomer = z.infer<typeof tbCustomerSchema>;

/** `GET …/values/attributes/{scope}` answer (AttributeData list). */
export const tbAttributeListSchema = z.array(
  z.object({ lastUpdateTs: z.number(), key: z.string(), value: z.unknown() }),
);
export type TbAttributeList = z.infer<typeof tbAttributeListSchema>;

/** `GET …/values/timeseries?useStrictDataTypes=true` answer: key → [{ts, value}] (newest only). */
export const tbLatestTimeseriesSchema = z.record(z.string(), z.array(z.object({ ts: z.number(), value: z.unknown() })));
export type TbLatestTimeseries = z.infer<typeof tbLatestTimeseriesSchema>;

/** Device HTTP API `GET /api/v1/{token}/attributes` answer. */
export const tbDeviceAttributesSchema = z.looseObject({
  client: z.record(z.string(), z.unknown()).optional(),
  shared: z.record(z.string(), z.unknown()).optional(),
});

/** ThingsboardErrorResponse; telemetry endpoints answer plain text instead. */
export const tbErrorSchema = z.looseObject({ status: z.number(), message: z.string(), errorCode: z.number() });

/** ThingsboardErrorCode values the adapter reacts to. */
export const TB_ERROR_CODE = { AUTHENTICATION: 10, JWT_TOKEN_EXPIRED: 11, VERSION_CONFLICT: 35 } as const;
