import { z } from 'zod';
import type {
  DeviceAttributes,
  JsonValue,
  LatestTelemetry,
  RegisterDeviceInput,
  RegisteredDevice,
} from '../device-registry.port.js';
import type { TbAttributeList, TbDevice, TbLatestTimeseries, TbNewDevice } from './thingsboard.types.js';

/**
 * What the platform keeps on a ThingsBoard device, under `additionalInfo.flexgalaxy`: its account
 * (so one read answers getDevice; the customer assignment is the ThingsBoard-side truth), whether
 * it is suspended, and the token to restore on reactivation. A device without this key was not
 * created by the platform, and the adapter leaves it alone.
 */
const deviceInfoSchema = z.object({
  accountId: z.string(),
  disabled: z.boolean(),
  suspendedAccessToken: z.string().optional(),
});
export type FlexgalaxyDeviceInfo = z.infer<typeof deviceInfoSchema>;

const INFO_KEY = 'flexgalaxy';

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function readDeviceInfo(device: TbDevice): FlexgalaxyDeviceInfo | null {
  const parsed = deviceInfoSchema.safeParse(asRecord(device.additionalInfo)[INFO_KEY]);
  return parsed.success ? parsed.data : null;
}

/** additionalInfo with our key replaced and every other key (description, gateway …) kept. */
export function withDeviceInfo(additionalInfo: unknown, info: FlexgalaxyDeviceInfo): Record<string, unknown> {
  return { ...asRecord(additionalInfo), [INFO_KEY]: info };
}

/**
 * Our device as a new ThingsBoard device: `name` = the platform's device_id (unique per tenant in
 * ThingsBoard, which makes it the lookup key), `label` = our human-friendly name, `type` = the
 * profile (ThingsBoard finds or creates the device profile of that name).
 */
export function toTbNewDevice(input: RegisterDeviceInput): TbNewDevice {
  return {
    name: input.deviceId,
    label: input.name,
    type: input.profile,
    additionalInfo: { [INFO_KEY]: { accountId: input.accountId, disabled: false } satisfies FlexgalaxyDeviceInfo },
  };
}

export function toAttributes(list: TbAttributeList): DeviceAttributes {
  return Object.fromEntries(list.map((attribute) => [attribute.key, attribute.value as JsonValue]));
}

export function toRegisteredDevice(
  device: TbDevice,
  info: FlexgalaxyDeviceInfo,
  serverAttributes: TbAttributeList,
  clientAttributes: TbAttributeList,
): RegisteredDevice {
  return {
    deviceId: device.name,
    accountId: info.accountId,
    name: device.label ?? '',
    profile: device.type ?? 'default',
    attributes: toAttributes(serverAttributes),
    clientAttributes: toAttributes(clientAttributes),
    enabled: !info.disabled,
  };
}

/** ThingsBoard answers the newest sample per key first; only that one is the latest value. */
export function toLatestTelemetry(timeseries: TbLatestTimeseries): LatestTelemetry {
  const latest: LatestTelemetry = {};
  for (const [key, samples] of Object.entries(timeseries)) {
    const newest = samples.reduce<(typeof samples)[number] | undefined>(
      (best, sample) => (!best || sample.ts > best.ts ? sample : best),
      undefined,
    );
    if (newest) latest[key] = { value: newest.value as JsonValue, ts: new Date(newest.ts) };
  }
  return latest;
}
