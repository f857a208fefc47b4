import type { JsonValue } from '../device-registry.port.js';

/** One telemetry value of one device, as the ingest stores it. */
export interface TelemetryPoint {
  deviceId: string;
  key: string;
  value: JsonValue;
  ts: Date;
}
