import { telemetryTypeOf, type TelemetryType } from '../telemetry-types.js';

// A fleet reports a few dozen distinct keys; the bound only matters for devices that invent keys.
const MAX_KEYS = 10_000;

/**
 * telemetryTypeOf for the ingest, remembered per key: the rules run a handful of regular
 * expressions, and every stored point needs its type while the keys repeat in every message.
 */
export class TelemetryTypeCache {
  private readonly types = new Map<string, TelemetryType>();

  of(key: string): TelemetryType {
    let type = this.types.get(key);
    if (type === undefined) {
      type = telemetryTypeOf(key);
      if (this.types.size >= MAX_KEYS) this.types.clear();
      this.types.set(key, type);
    }
    return type;
  }
}
