import { LIFECYCLE_COMMANDS, transition, type LifecycleCommand, type LifecycleState } from './lifecycle.js';

const STATES: LifecycleState[] = [
  'UNMANAGED',
  'FACTORY_PROVISIONED',
  'ASSEMBLED',
  'FIELD_ACTIVE',
  'SUSPENDED',
  'DECOMMISSIONED',
  'REJECTED',
];

// Every legal transition; every other (state, command) pair must be refused.
const LEGAL: [LifecycleState, LifecycleCommand, LifecycleState][] = [
  ['UNMANAGED', 'factory_enroll', 'FACTORY_PROVISIONED'],
  ['FACTORY_PROVISIONED', 'assemble', 'ASSEMBLED'],
  ['UNMANAGED', 'field_activate', 'FIELD_ACTIVE'],
  ['ASSEMBLED', 'field_activate', 'FIELD_ACTIVE'],
  ['FIELD_ACTIVE', 'field_activate', 'FIELD_ACTIVE'],
  ['UNMANAGED', 'reject', 'REJECTED'],
  ['FACTORY_PROVISIONED', 'reject', 'REJECTED'],
  ['ASSEMBLED', 'reject', 'REJECTED'],
  ['FIELD_ACTIVE', 'suspend', 'SUSPENDED'],
  ['SUSPENDED', 'reactivate', 'FIELD_ACTIVE'],
  ['FACTORY_PROVISIONED', 'decommission', 'DECOMMISSIONED'],
  ['ASSEMBLED', 'decommission', 'DECOMMISSIONED'],
  ['FIELD_ACTIVE', 'decommission', 'DECOMMISSIONED'],
  ['SUSPENDED', 'decommission', 'DECOMMISSIONED'],
  ['FACTORY_PROVISIONED', 'transfer', 'FACTORY_PROVISIONED'],
  ['ASSEMBLED', 'transfer', 'ASSEMBLED'],
  ['FIELD_ACTIVE', 'transfer', 'FIELD_ACTIVE'],
  ['FACTORY_PROVISIONED', 'rotate_credentials', 'FACTORY_PROVISIONED'],
  ['ASSEMBLED', 'rotate_credentials', 'ASSEMBLED'],
  ['FIELD_ACTIVE', 'rotate_credentials', 'FIELD_ACTIVE'],
  ['SUSPENDED', 'rotate_credentials', 'SUSPENDED'],
];

const ILLEGAL = STATES.flatMap((state) =>
  LIFECYCLE_COMMANDS.filter((command) => !LEGAL.some(([from, cmd]) => from === state && cmd === command)).map(
    (command) => [state, command] as [LifecycleState, LifecycleCommand],
  ),
);

describe('device lifecycle (seed 002)', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, command, to) => {
    expect(transition(from, command)).toEqual({ ok: true, next: to });
  });

  it.each(ILLEGAL)('should refuse %s --%s-->, naming the current state', (from, command) => {
    expect(transition(from, command)).toEqual({ ok: false, current: from, command });
  });

  it('should return a reactivated device to the state it was suspended from', () => {
    expect(transition('SUSPENDED', 'reactivate', 'FIELD_ACTIVE')).toEqual({ ok: true, next: 'FIELD_ACTIVE' });
  });

  it('should keep Rejected and Decommissioned final', () => {
    for (const command of LIFECYCLE_COMMANDS) {
      expect(transition('REJECTED', command).ok).toBe(false);
      expect(transition('DECOMMISSIONED', command).ok).toBe(false);
    }
  });
});
