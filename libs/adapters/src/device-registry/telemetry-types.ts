/**
 * Telemetry types of seed 000 §5 "Telemetry Transfer Rules": what happens to a device's history
 * when it changes owner depends on the type, and the type follows from the telemetry key.
 */
export const TELEMETRY_TYPES = ['health', 'operational', 'alerts', 'task_logs', 'location', 'application'] as const;
export type TelemetryType = (typeof TELEMETRY_TYPES)[number];

/** seed 000 §5: health, operational metrics and alerts follow the device; the rest stays by default. */
export const TYPES_FOLLOWING_THE_DEVICE: readonly TelemetryType[] = ['health', 'operational', 'alerts'];

// First match wins; keys are compared in lower case. Exact names first, then prefixes.
const RULES: { type: TelemetryType; test: (key: string) => boolean }[] = [
  {
    type: 'location',
    test: (key) => ['position', 'pose', 'location', 'trajectory', 'gps', 'map_position'].includes(key),
  },
  { type: 'location', test: (key) => /^(position|pose|location|trajectory|gps)[_.]/.test(key) },
  { type: 'task_logs', test: (key) => key.startsWith('task') },
  { type: 'alerts', test: (key) => key.startsWith('alert') || key.startsWith('incident') },
  { type: 'health', test: (key) => key.startsWith('health') || key.startsWith('diagnostic') },
  {
    type: 'operational',
    test: (key) =>
      ['battery', 'battery_cycles', 'motor_hours', 'error_count', 'uptime', 'odometer', 'temperature'].includes(key) ||
      /^(battery|motor|error)[_.]/.test(key) ||
      key.endsWith('_cycles') ||
      key.endsWith('_hours'),
  },
];

/**
 * The telemetry type of a key: `battery`, `motor_hours`, `error_count` → operational; `health_*`,
 * `diagnostics` → health; `alert*` → alerts; `task*` → task logs; `position`, `pose`, `location`
 * → location; anything else → application (whose transfer rule the app developer configures).
 */
export function telemetryTypeOf(key: string): TelemetryType {
  const normalized = key.toLowerCase();
  return RULES.find((rule) => rule.test(normalized))?.type ?? 'application';
}

/** What a transfer does with the device's telemetry history: the types listed follow it. */
export interface TelemetryTransferRules {
  follow: readonly TelemetryType[];
}

export interface TelemetryTransferResult {
  /** Types whose history now belongs to the target account. */
  moved: TelemetryType[];
  /** Types whose history stays with the source account. */
  retained: TelemetryType[];
  /** History points that changed account. */
  movedPoints: number;
}
