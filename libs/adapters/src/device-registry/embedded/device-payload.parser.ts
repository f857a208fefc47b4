import { DomainError } from '@flexgalaxy/contracts';
import type { DeviceAttributes, JsonValue } from '../device-registry.port.js';
import type { TelemetryPoint } from './telemetry-point.js';

/** A device published a payload ThingsBoard's device API would not accept. */
export class InvalidDevicePayloadError extends DomainError {
  readonly code = 'DEVICE_REGISTRY.INVALID_PAYLOAD';
  readonly kind = 'invalid_input' as const;

  constructor(reason: string) {
    super(`invalid device payload: ${reason}`, { reason });
  }
}

type JsonObject = { [key: string]: JsonValue };

const MAX_KEY_LENGTH = 255;
// JavaScript Dates span ±8.64e15 ms; anything outside is not a timestamp a device can mean.
const MAX_TIMESTAMP_MS = 8.64e15;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    throw new InvalidDevicePayloadError('not JSON');
  }
}

/** Key/value pairs as ThingsBoard's JsonConverter reads them: nulls are skipped, keys must not be blank. */
function readValues(values: JsonObject): [string, JsonValue][] {
  const entries: [string, JsonValue][] = [];
  for (const [key, value] of Object.entries(values)) {
    if (key.trim() === '' || key.length > MAX_KEY_LENGTH) throw new InvalidDevicePayloadError(`bad key "${key}"`);
    if (value !== null) entries.push([key, value]);
  }
  return entries;
}

function readTimestamp(ts: JsonValue): Date {
  // ThingsBoard reads `ts` with Gson's getAsLong, which also takes a numeric string.
  const ms = typeof ts === 'string' && /^\d+$/.test(ts) ? Number(ts) : ts;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || Math.abs(ms) > MAX_TIMESTAMP_MS) {
    throw new InvalidDevicePayloadError('ts must be milliseconds since the epoch');
  }
  return new Date(ms);
}

function readTelemetryObject(deviceId: string, object: JsonObject, receivedAt: Date): TelemetryPoint[] {
  if ('ts' in object && 'values' in object) {
    const values = object['values'];
    if (!isObject(values)) throw new InvalidDevicePayloadError('values must be an object');
    const ts = readTimestamp(object['ts']);
    return readValues(values).map(([key, value]) => ({ deviceId, key, value, ts }));
  }
  return readValues(object).map(([key, value]) => ({ deviceId, key, value, ts: receivedAt }));
}

/**
 * Reads a `v1/devices/me/telemetry` payload in each form ThingsBoard accepts: `{"k":v}`,
 * `{"ts":…,"values":{…}}`, or an array of either. Values without their own `ts` take `receivedAt`.
 * @throws InvalidDevicePayloadError for anything else (ThingsBoard closes an MQTT 3.1.1 session
 * on such a payload, and so does the embedded broker).
 */
export function parseTelemetryPayload(deviceId: string, payload: Buffer, receivedAt: Date): TelemetryPoint[] {
  const json = parseJson(payload);
  if (isObject(json)) return readTelemetryObject(deviceId, json, receivedAt);
  if (Array.isArray(json)) {
    return json.flatMap((item) => {
      if (!isObject(item)) throw new InvalidDevicePayloadError('array items must be objects');
      return readTelemetryObject(deviceId, item, receivedAt);
    });
  }
  throw new InvalidDevicePayloadError('telemetry must be a JSON object or an array of objects');
}

/** Reads a `v1/devices/me/attributes` payload: one JSON object of client-side attributes. */
export function parseAttributesPayload(payload: Buffer): DeviceAttributes {
  const json = parseJson(payload);
  if (!isObject(json)) throw new InvalidDevicePayloadError('attributes must be a JSON object');
  return Object.fromEntries(readValues(json));
}
