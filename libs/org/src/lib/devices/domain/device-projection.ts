import type { EventType, PlatformEvent } from '@flexgalaxy/contracts';
import type { LifecycleState } from './device.js';

export const OWNERSHIP_EVENTS = ['device.provisioned', 'device.upgraded', 'device.transferred'] as const;
export const STATE_EVENTS = ['device.suspended', 'device.reactivated', 'device.decommissioned'] as const;

export type OwnershipEventType = (typeof OWNERSHIP_EVENTS)[number];
export type StateEventType = (typeof STATE_EVENTS)[number];

/** Narrows an event of a union of types to one type (PlatformEvent<A | B> is not discriminated). */
export function isEventOf<K extends EventType>(event: PlatformEvent, types: readonly K[]): event is PlatformEvent<K> {
  return (types as readonly EventType[]).includes(event.type);
}

/**
 * A device's full ownership and attributes, as announced by an event that carries them all.
 * Applying it is an absolute overwrite, hence idempotent: the same event twice gives one row.
 */
export interface DeviceOwnership {
  deviceId: string;
  ownerAccountId: string;
  serial: string;
  type: string;
  model: string | null;
  revision: string | null;
  manufacturer: string;
  state: LifecycleState;
  occurredAt: Date;
}

export function ownershipFrom(event: PlatformEvent<OwnershipEventType>): DeviceOwnership {
  const { payload } = event;
  const { attributes } = payload;
  // A transfer names both sides; the projection keeps the new owner (seed 000 §5).
  const ownerAccountId = 'toAccountId' in payload ? payload.toAccountId : payload.accountId;
  return {
    deviceId: payload.deviceId,
    ownerAccountId,
    serial: attributes.serial,
    type: attributes.type,
    model: attributes.model,
    revision: attributes.revision,
    manufacturer: attributes.manufacturer,
    state: payload.state,
    occurredAt: new Date(event.occurredAt),
  };
}

/** The part of a device a suspend / reactivate / decommission event changes. */
export interface DeviceStateSnapshot {
  state: LifecycleState;
  /** The state a suspension interrupted (device.reactivated carries no target state). */
  suspendedFrom: LifecycleState | null;
  lastEventAt: Date;
}

/** seed 002 "Device Lifecycle": suspension interrupts Field Active; this is where it returns. */
const DEFAULT_REACTIVATED_STATE: LifecycleState = 'FIELD_ACTIVE';

/**
 * The device's next state after a state event, or null when the event changes nothing: it is
 * older than what the row already reflects, or it is a repeat (suspending a suspended device).
 * Returning null for repeats is what makes a redelivered event harmless.
 */
export function nextStateAfter(
  current: DeviceStateSnapshot,
  type: StateEventType,
  occurredAt: Date,
): DeviceStateSnapshot | null {
  if (occurredAt.getTime() < current.lastEventAt.getTime()) return null;
  switch (type) {
    case 'device.suspended':
      if (current.state === 'SUSPENDED' || current.state === 'DECOMMISSIONED') return null;
      return { state: 'SUSPENDED', suspendedFrom: current.state, lastEventAt: occurredAt };
    case 'device.reactivated':
      if (current.state !== 'SUSPENDED') return null;
      return {
        state: current.suspendedFrom ?? DEFAULT_REACTIVATED_STATE,
        suspendedFrom: null,
        lastEventAt: occurredAt,
      };
    case 'device.decommissioned':
      if (current.state === 'DECOMMISSIONED') return null;
      return { state: 'DECOMMISSIONED', suspendedFrom: null, lastEventAt: occurredAt };
  }
}
