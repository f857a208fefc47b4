import type { LatestTelemetry } from './device-registry.port.js';

/** Injection token of the in-process telemetry feed (OTA Forge reads battery and task state). */
export const DEVICE_TELEMETRY_FEED = Symbol('DEVICE_TELEMETRY_FEED');

/** One telemetry message of one device, announced once it is stored. */
export interface DeviceTelemetryEvent {
  deviceId: string;
  /** The values the message carried, newest per key (a message may hold several timestamps). */
  values: LatestTelemetry;
}

export type DeviceTelemetryListener = (event: DeviceTelemetryEvent) => void;

/**
 * Telemetry as it arrives, for services in the same process. Delivery is after the values are
 * committed, in arrival order per device, at most once (a listener that misses an event reads
 * `getLatestTelemetry`, which is the source of truth).
 */
export interface DeviceTelemetryFeed {
  /** Calls `listener` for every stored telemetry message; returns the function that unsubscribes. */
  onTelemetry(listener: DeviceTelemetryListener): () => void;
}
