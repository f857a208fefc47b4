import { isWithinWindow, secondsUntilWindowOpens, type MaintenanceWindow } from './maintenance-window.js';

/** seed 000 §2 "Constraints": checked when the device polls, not when the policy matches. */
export interface RolloutConstraints {
  /** Deliver only while the battery is above this percentage. */
  minBattery: number | null;
  /** Deliver only while the device is not executing a task (telemetry `task` ≠ "executing"). */
  requireIdle: boolean;
  maintenanceWindow: MaintenanceWindow | null;
}

/** The device's runtime state (DeviceAdmin telemetry: `battery`, `task`); null when never reported. */
export interface RuntimeState {
  battery: number | null;
  task: string | null;
}

export type DeferralReason =
  | 'battery_low'
  | 'battery_unknown'
  | 'executing_task'
  | 'outside_maintenance_window'
  | 'wave_not_open'
  | 'max_concurrent_reached'
  | 'retry_backoff'
  | 'policy_paused'
  /** hawkBit mode: hawkBit refused the assignment (e.g. the set is already assigned). */
  | 'backend_refused';

export interface Deferral {
  reason: DeferralReason;
  /** When asking again makes sense, if known (window opening, backoff ending). */
  retryInSeconds: number | null;
}

/** Whether a constraint needs the device's runtime state (so the poll reads telemetry only then). */
export function needsRuntimeState(constraints: RolloutConstraints): boolean {
  return constraints.minBattery !== null || constraints.requireIdle;
}

/** The time-only checks, cheap enough to run before reading any telemetry. */
export function checkWindow(constraints: RolloutConstraints, now: Date, timezone: string): Deferral | null {
  const window = constraints.maintenanceWindow;
  if (window && !isWithinWindow(window, now, timezone)) {
    return { reason: 'outside_maintenance_window', retryInSeconds: secondsUntilWindowOpens(window, now, timezone) };
  }
  return null;
}

/**
 * The runtime checks. An unknown battery defers (installing firmware on an empty battery bricks
 * devices); an unreported task counts as idle (a device that runs nothing reports nothing).
 */
export function checkRuntime(constraints: RolloutConstraints, state: RuntimeState): Deferral | null {
  if (constraints.minBattery !== null) {
    if (state.battery === null) return { reason: 'battery_unknown', retryInSeconds: null };
    if (!(state.battery > constraints.minBattery)) return { reason: 'battery_low', retryInSeconds: null };
  }
  if (constraints.requireIdle && state.task === 'executing') {
    return { reason: 'executing_task', retryInSeconds: null };
  }
  return null;
}

/** Every constraint, window first. */
export function evaluateConstraints(
  constraints: RolloutConstraints,
  state: RuntimeState,
  now: Date,
  timezone: string,
): Deferral | null {
  return checkWindow(constraints, now, timezone) ?? checkRuntime(constraints, state);
}

/** Reads `battery` and `task` out of latest telemetry values, ignoring what is not of the expected type. */
export function runtimeStateOf(telemetry: Record<string, { value: unknown }>): RuntimeState {
  const battery = telemetry['battery']?.value;
  const task = telemetry['task']?.value;
  const numeric = typeof battery === 'number' ? battery : typeof battery === 'string' ? Number(battery) : NaN;
  return {
    battery: Number.isFinite(numeric) ? numeric : null,
    task: typeof task === 'string' ? task : null,
  };
}
