import type { lifecycleStateSchema } from '@flexgalaxy/contracts';
import type { z } from 'zod';

/**
 * seed 002 "Device Lifecycle" as a pure state machine:
 *
 *   Unmanaged ──► Factory Provisioned ──► Assembled ──► Field Active ──► Decommissioned
 *                        │ failure            │ failure       │ suspend
 *                        ▼                    ▼               ▼
 *                     Rejected             Rejected        Suspended
 *
 * Made explicit where the diagram is silent (each is what an operator of a real fleet needs):
 * - PDAs, tablets and sensors enroll in the field directly: Unmanaged → Field Active;
 * - a field enrollment of a device already Field Active (re-provisioned, or handed to the next
 *   customer with a claim token) stays Field Active;
 * - a suspended device returns to the state it was suspended from (only Field Active can be);
 * - decommissioning removes a device from every system at any live stage (a controller scrapped
 *   at the factory, a suspended robot whose lease ended), not only from Field Active;
 * - a transfer and a credential rotation keep the state (self-loops), on enrolled devices only;
 * - an enrollment refused for its identity proof leaves a Rejected record (Unmanaged → Rejected).
 *   A failed proof against an existing device is recorded in its history without changing its
 *   state: otherwise anyone could knock a legitimate device out with a bogus certificate.
 * Rejected and Decommissioned are final.
 */
export type LifecycleState = z.output<typeof lifecycleStateSchema>;

export const LIFECYCLE_COMMANDS = [
  'factory_enroll',
  'assemble',
  'field_activate',
  'reject',
  'suspend',
  'reactivate',
  'decommission',
  'transfer',
  'rotate_credentials',
] as const;
export type LifecycleCommand = (typeof LIFECYCLE_COMMANDS)[number];

const ENROLLED: LifecycleState[] = ['FACTORY_PROVISIONED', 'ASSEMBLED', 'FIELD_ACTIVE'];

const TRANSITIONS: Record<LifecycleCommand, Partial<Record<LifecycleState, LifecycleState | 'previous'>>> = {
  factory_enroll: { UNMANAGED: 'FACTORY_PROVISIONED' },
  assemble: { FACTORY_PROVISIONED: 'ASSEMBLED' },
  field_activate: { UNMANAGED: 'FIELD_ACTIVE', ASSEMBLED: 'FIELD_ACTIVE', FIELD_ACTIVE: 'FIELD_ACTIVE' },
  reject: { UNMANAGED: 'REJECTED', FACTORY_PROVISIONED: 'REJECTED', ASSEMBLED: 'REJECTED' },
  suspend: { FIELD_ACTIVE: 'SUSPENDED' },
  reactivate: { SUSPENDED: 'previous' },
  decommission: Object.fromEntries([...ENROLLED, 'SUSPENDED'].map((state) => [state, 'DECOMMISSIONED'])),
  transfer: Object.fromEntries(ENROLLED.map((state) => [state, state])),
  rotate_credentials: Object.fromEntries([...ENROLLED, 'SUSPENDED'].map((state) => [state, state])),
};

export type Transition =
  { ok: true; next: LifecycleState } | { ok: false; current: LifecycleState; command: LifecycleCommand };

/**
 * The state after `command`, or why it is illegal. `suspendedFrom` is where a reactivation returns
 * (Field Active when unknown).
 */
export function transition(
  current: LifecycleState,
  command: LifecycleCommand,
  suspendedFrom: LifecycleState | null = null,
): Transition {
  const next = TRANSITIONS[command][current];
  if (!next) return { ok: false, current, command };
  return { ok: true, next: next === 'previous' ? (suspendedFrom ?? 'FIELD_ACTIVE') : next };
}

/** States in which a device exists in the backends (registry, OTA, identity). */
export function isLive(state: LifecycleState): boolean {
  return state !== 'UNMANAGED' && state !== 'REJECTED' && state !== 'DECOMMISSIONED';
}
