import type { HawkbitConfig } from './hawkbit/hawkbit.config.js';
import { HawkbitOtaBackend } from './hawkbit/hawkbit-ota-backend.js';
import type { OtaBackend } from './ota-backend.port.js';

/**
 * The one place that picks the OTA backend: hawkBit when configured, otherwise none (OTA Forge
 * serves the DDI itself and needs no backend to mirror to).
 */
export function createOtaBackend(hawkbit: HawkbitConfig | null): OtaBackend | null {
  return hawkbit ? new HawkbitOtaBackend(hawkbit) : null;
}
