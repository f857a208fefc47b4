import { envelope, provisionedPayload, transferredPayload } from '../../../../test/builders.js';
import type { LifecycleState } from './device.js';
import { nextStateAfter, ownershipFrom, type DeviceStateSnapshot, type StateEventType } from './device-projection.js';

const T0 = new Date('2026-11-23T10:00:00.000Z');
const LATER = new Date('2026-11-23T10:00:01.000Z');
const EARLIER = new Date('2026-11-23T09:59:59.000Z');

const snapshot = (state: LifecycleState, suspendedFrom: LifecycleState | null = null): DeviceStateSnapshot => ({
  state,
  suspendedFrom,
  lastEventAt: T0,
});

describe('device projection rules', () => {
  describe('nextStateAfter', () => {
    it.each([
      {
        from: snapshot('FIELD_ACTIVE'),
        event: 'device.suspended',
        to: { state: 'SUSPENDED', suspendedFrom: 'FIELD_ACTIVE' },
      },
      {
        from: snapshot('ASSEMBLED'),
        event: 'device.suspended',
        to: { state: 'SUSPENDED', suspendedFrom: 'ASSEMBLED' },
      },
      { from: snapshot('SUSPENDED', 'FIELD_ACTIVE'), event: 'device.suspended', to: null },
      { from: snapshot('DECOMMISSIONED'), event: 'device.suspended', to: null },
      {
        from: snapshot('SUSPENDED', 'ASSEMBLED'),
        event: 'device.reactivated',
        to: { state: 'ASSEMBLED', suspendedFrom: null },
      },
      { from: snapshot('SUSPENDED'), event: 'device.reactivated', to: { state: 'FIELD_ACTIVE', suspendedFrom: null } },
      { from: snapshot('FIELD_ACTIVE'), event: 'device.reactivated', to: null },
      {
        from: snapshot('FIELD_ACTIVE'),
        event: 'device.decommissioned',
        to: { state: 'DECOMMISSIONED', suspendedFrom: null },
      },
      {
        from: snapshot('SUSPENDED', 'FIELD_ACTIVE'),
        event: 'device.decommissioned',
        to: { state: 'DECOMMISSIONED', suspendedFrom: null },
      },
      { from: snapshot('DECOMMISSIONED'), event: 'device.decommissioned', to: null },
    ] as { from: DeviceStateSnapshot; event: StateEventType; to: Omit<DeviceStateSnapshot, 'lastEventAt'> | null }[])(
      'should take $from.state through $event to $to.state',
      ({ from, event, to }) => {
        expect(nextStateAfter(from, event, LATER)).toEqual(to === null ? null : { ...to, lastEventAt: LATER });
      },
    );

    it.each(['device.suspended', 'device.reactivated', 'device.decommissioned'] as const)(
      'should ignore a %s older than the row',
      (event) => {
        expect(nextStateAfter(snapshot('SUSPENDED', 'FIELD_ACTIVE'), event, EARLIER)).toBeNull();
      },
    );
  });

  describe('ownershipFrom', () => {
    it('should take the owner of device.provisioned from accountId', () => {
      const event = envelope('device.provisioned', provisionedPayload('d1', 'maker'), {
        accountId: 'maker',
        occurredAt: T0,
      });
      expect(ownershipFrom(event)).toEqual({
        deviceId: 'd1',
        ownerAccountId: 'maker',
        serial: 'd1',
        type: 'amr',
        model: 'X1',
        revision: 'r3',
        manufacturer: 'RoboMake',
        state: 'FACTORY_PROVISIONED',
        occurredAt: T0,
      });
    });

    it('should take the owner of device.transferred from toAccountId', () => {
      const event = envelope('device.transferred', transferredPayload('d1', 'maker', 'distributor'), {
        accountId: 'distributor',
      });
      expect(ownershipFrom(event)).toMatchObject({ ownerAccountId: 'distributor', state: 'FIELD_ACTIVE' });
    });
  });
});
