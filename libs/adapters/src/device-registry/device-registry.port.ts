import type { TelemetryTransferResult, TelemetryTransferRules } from './telemetry-types.js';

/** Injection token of the device-registry port; services inject this, never an adapter class. */
export const DEVICE_REGISTRY = Symbol('DEVICE_REGISTRY');

/** A JSON value as ThingsBoard stores it in attributes and telemetry (string, number, boolean, JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Key → value attributes of a device (keys are non-blank). */
export type DeviceAttributes = Record<string, JsonValue>;

export interface RegisterDeviceInput {
  /** The platform's device_id: the same id in every system (seed 002 "Backend System Registration"). */
  deviceId: string;
  accountId: string;
  /** Human-friendly label; not unique. */
  name: string;
  /** Device profile, e.g. `controller` at factory provisioning, `amr` once assembled. */
  profile: string;
  /** Static attributes the provisioning service sets (seed 000 §2 "Attribute Sources"). */
  attributes: DeviceAttributes;
}

/** Returned only when a token is issued: it is never stored in clear nor shown again. */
export interface IssuedAccessToken {
  /** The MQTT access token; a device connects with it as the MQTT user name. */
  accessToken: string;
}

/** Fields left out keep their value; `attributes` are merged key by key into the existing ones. */
export interface DeviceUpdate {
  /** Moves the device to another account (account transfer, seed 002). */
  accountId?: string;
  /** Changes the device profile (assembly upgrades `controller` → `amr`). */
  profile?: string;
  attributes?: DeviceAttributes;
}

export interface RegisteredDevice {
  deviceId: string;
  accountId: string;
  name: string;
  profile: string;
  /** Attributes set by the platform (ThingsBoard's SERVER_SCOPE). */
  attributes: DeviceAttributes;
  /** Attributes the device reported itself (ThingsBoard's CLIENT_SCOPE). */
  clientAttributes: DeviceAttributes;
  /** False while suspended: the device cannot connect. */
  enabled: boolean;
}

export interface TelemetryValue {
  value: JsonValue;
  /** When the value was measured: the device's `ts`, else when the backend received it. */
  ts: Date;
}

/** The latest value of every telemetry key a device has sent. */
export type LatestTelemetry = Record<string, TelemetryValue>;

/**
 * ThingsBoard's role in the platform: device records, their static attributes, MQTT access tokens
 * and the latest telemetry. Implemented by the embedded registry with its own MQTT broker
 * (default) and by ThingsBoard's REST API (THINGSBOARD_URL).
 *
 * Every method throws DeviceRegistryUnavailableError when the backend cannot be reached and
 * InvalidDeviceRegistryInputError when an argument is malformed (blank id, blank attribute key).
 */
export interface DeviceRegistry {
  /**
   * Creates the device record with its static attributes and issues its MQTT access token.
   * @returns the access token, shown this once.
   * @throws DeviceAlreadyRegisteredError when a device with this id exists.
   */
  registerDevice(input: RegisterDeviceInput): Promise<IssuedAccessToken>;

  /**
   * Changes the device's account, profile or attributes (assembly upgrade, account transfer).
   * @throws DeviceNotFoundError when no such device exists.
   */
  updateDevice(deviceId: string, update: DeviceUpdate): Promise<RegisteredDevice>;

  /**
   * Issues a new access token. The old one is refused from now on, and a live MQTT session opened
   * with it is closed. A suspended device stays suspended: the new token works once it is enabled.
   * @returns the new access token, shown this once.
   * @throws DeviceNotFoundError when no such device exists.
   */
  rotateAccessToken(deviceId: string): Promise<IssuedAccessToken>;

  /**
   * Suspends the device: it cannot connect, and its live MQTT session is closed. Idempotent.
   * @throws DeviceNotFoundError when no such device exists.
   */
  disableDevice(deviceId: string): Promise<void>;

  /**
   * Reactivates a suspended device with the access token it had. Idempotent.
   * @throws DeviceNotFoundError when no such device exists.
   */
  enableDevice(deviceId: string): Promise<void>;

  /**
   * Decommissions the device: removes its record, token and telemetry, closes its live session.
   * The id may be registered again afterwards.
   * @throws DeviceNotFoundError when no such device exists.
   */
  deleteDevice(deviceId: string): Promise<void>;

  /**
   * The device record (never its access token).
   * @throws DeviceNotFoundError when no such device exists.
   */
  getDevice(deviceId: string): Promise<RegisteredDevice>;

  /**
   * The latest value and timestamp of each telemetry key (battery, task state …); `{}` when the
   * device has sent nothing yet.
   * @throws DeviceNotFoundError when no such device exists.
   */
  getLatestTelemetry(deviceId: string): Promise<LatestTelemetry>;

  /**
   * The enabled device this access token belongs to, or null for an unknown, rotated-out or
   * suspended device's token.
   */
  authenticate(accessToken: string): Promise<RegisteredDevice | null>;

  /**
   * Applies seed 000 §5's telemetry transfer rules after the device moved from `fromAccountId` to
   * `toAccountId`: the history of the types in `rules.follow` now belongs to the target account,
   * the other types' history stays with the source account. Idempotent (a repeat moves nothing more).
   */
  transferTelemetry(
    deviceId: string,
    fromAccountId: string,
    toAccountId: string,
    rules: TelemetryTransferRules,
  ): Promise<TelemetryTransferResult>;

  /**
   * Marks the device's telemetry history archived (decommissioning): kept under the retention
   * policy, no longer the live history of any account. Call before deleteDevice.
   * @returns how many points were archived.
   */
  archiveTelemetry(deviceId: string): Promise<{ archived: number }>;
}
