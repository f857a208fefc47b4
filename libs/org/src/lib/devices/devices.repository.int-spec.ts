import { randomUUID } from 'node:crypto';
import { readScope, type ReadScope } from '@flexgalaxy/auth';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import {
  AccountFixtures,
  amrAttributes,
  envelope,
  provisionedPayload,
  transferredPayload,
} from '../../../test/builders.js';
import type { Account } from '../accounts/domain/account.js';
import { DeviceProjectionService } from './device-projection.service.js';
import { DevicesRepository } from './devices.repository.js';
import type { OwnershipEventType, StateEventType } from './domain/device-projection.js';
import { PlaceDevicesOnAccountCreatedHandler } from './handlers/place-devices-on-account-created.handler.js';
import { ProjectDeviceOnDeviceEventsHandler } from './handlers/project-device-on-device-events.handler.js';

const subtreeOf = (account: Account): ReadScope =>
  readScope({ accountId: account.id, path: account.path, isPlatformAdmin: false });
const FIRST_PAGE = { after: null, limit: 200 };

describe.each(DRIVERS)('device ownership projection on %s', (driver) => {
  let db: TestDatabase;
  let repository: DevicesRepository;
  let projectDevice: ProjectDeviceOnDeviceEventsHandler;
  let placeDevices: PlaceDevicesOnAccountCreatedHandler;
  let fixtures: AccountFixtures;
  let robomake: Account;
  let china: Account;
  let japan: Account;
  let warehouseA: Account;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    repository = new DevicesRepository(db.prisma);
    const projection = new DeviceProjectionService(repository);
    projectDevice = new ProjectDeviceOnDeviceEventsHandler(projection);
    placeDevices = new PlaceDevicesOnAccountCreatedHandler(projection);
    fixtures = new AccountFixtures(db.prisma);
    robomake = await fixtures.root('RoboMake', 'maker');
    china = await fixtures.child(robomake, 'China Distributor', 'member');
    japan = await fixtures.child(robomake, 'Japan Distributor', 'member');
    warehouseA = await fixtures.child(japan, 'Warehouse A', 'end_user');
  });
  afterAll(() => db.close());

  // What the events module does: run the handler in the transaction that records the event.
  const deliver = (event: PlatformEvent<OwnershipEventType | StateEventType>) =>
    db.prisma.$transaction((tx) => projectDevice.handle(event, tx));

  const provisioned = (deviceId: string, accountId: string, occurredAt?: Date) =>
    envelope('device.provisioned', provisionedPayload(deviceId, accountId), { accountId, deviceId, occurredAt });
  const transferred = (deviceId: string, from: string, to: string, occurredAt?: Date) =>
    envelope('device.transferred', transferredPayload(deviceId, from, to), { accountId: to, deviceId, occurredAt });
  const stateChange = (type: StateEventType, deviceId: string, accountId: string, occurredAt?: Date) =>
    envelope(type, { deviceId, reason: null }, { accountId, deviceId, occurredAt });

  const rowsOf = (deviceId: string) => db.prisma.device.findMany({ where: { id: deviceId } });

  describe('ownership events', () => {
    it('should record device.provisioned once when the same event arrives twice', async () => {
      const event = provisioned(`amr-${randomUUID()}`, robomake.id);
      await deliver(event);
      await expect(deliver(event)).resolves.toBeUndefined();
      const rows = await rowsOf(event.payload.deviceId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        ownerAccountId: robomake.id,
        ownerPath: robomake.path,
        serial: event.payload.deviceId,
        type: 'amr',
        model: 'X1',
        revision: 'r3',
        manufacturer: 'RoboMake',
        state: 'FACTORY_PROVISIONED',
      });
    });

    it('should move the device and recompute its path on device.transferred, idempotently', async () => {
      const deviceId = `amr-${randomUUID()}`;
      await deliver(provisioned(deviceId, robomake.id, new Date(Date.now() - 1000)));
      const event = transferred(deviceId, robomake.id, japan.id);
      await deliver(event);
      await deliver(event);
      expect(await rowsOf(deviceId)).toEqual([
        expect.objectContaining({ ownerAccountId: japan.id, ownerPath: japan.path, state: 'FIELD_ACTIVE' }),
      ]);
      expect(await repository.findVisible(subtreeOf(china), deviceId)).toBeNull();
      expect(await repository.findVisible(subtreeOf(robomake), deviceId)).toMatchObject({ ownerAccountId: japan.id });
    });

    it('should keep the newer owner when an older event is redelivered after it', async () => {
      const deviceId = `amr-${randomUUID()}`;
      const older = provisioned(deviceId, robomake.id, new Date(Date.now() - 1000));
      await deliver(older);
      await deliver(transferred(deviceId, robomake.id, china.id));
      await deliver(older);
      expect(await rowsOf(deviceId)).toEqual([
        expect.objectContaining({ ownerAccountId: china.id, ownerPath: china.path }),
      ]);
    });

    it('should update attributes on device.upgraded', async () => {
      const deviceId = `amr-${randomUUID()}`;
      await deliver(provisioned(deviceId, robomake.id, new Date(Date.now() - 1000)));
      const upgraded = envelope(
        'device.upgraded',
        {
          deviceId,
          accountId: robomake.id,
          previousType: 'amr',
          state: 'ASSEMBLED',
          attributes: amrAttributes(deviceId, { revision: 'r4' }),
        },
        { accountId: robomake.id, deviceId },
      );
      await deliver(upgraded);
      await deliver(upgraded);
      expect(await rowsOf(deviceId)).toEqual([expect.objectContaining({ revision: 'r4', state: 'ASSEMBLED' })]);
    });
  });

  describe('an account org does not know yet', () => {
    it('should record the device unplaced, then place it once the account exists', async () => {
      const deviceId = `amr-${randomUUID()}`;
      const lateAccountId = randomUUID();
      await deliver(provisioned(deviceId, lateAccountId));

      expect(await rowsOf(deviceId)).toEqual([
        expect.objectContaining({ ownerAccountId: lateAccountId, ownerPath: null }),
      ]);
      // Unplaced: in nobody's subtree, visible only to its owner (by id) and to platform admins.
      expect(await repository.findVisible(subtreeOf(robomake), deviceId)).toBeNull();
      expect(await repository.findVisible({ kind: 'own', accountId: lateAccountId }, deviceId)).not.toBeNull();

      const late = await db.prisma.$transaction((tx) =>
        tx.account.create({
          data: {
            id: lateAccountId,
            name: 'Factory B',
            kind: 'end_user',
            parentId: japan.id,
            orgRootId: robomake.id,
            path: `${japan.path}${lateAccountId}/`,
            depth: 2,
          },
        }),
      );
      const created = envelope(
        'org.account.created',
        {
          accountId: late.id,
          name: late.name,
          kind: 'end_user',
          parentAccountId: japan.id,
          orgRootAccountId: robomake.id,
          path: late.path,
        },
        { accountId: late.id },
      );
      await db.prisma.$transaction((tx) => placeDevices.handle(created, tx));
      await db.prisma.$transaction((tx) => placeDevices.handle(created, tx));

      expect(await rowsOf(deviceId)).toEqual([expect.objectContaining({ ownerPath: late.path })]);
      expect(await repository.findVisible(subtreeOf(japan), deviceId)).toMatchObject({ ownerAccountId: lateAccountId });
      expect(await repository.findVisible(subtreeOf(china), deviceId)).toBeNull();
    });
  });

  describe('state events', () => {
    it.each([
      { events: ['device.suspended'], expected: 'SUSPENDED' },
      { events: ['device.suspended', 'device.suspended'], expected: 'SUSPENDED' },
      { events: ['device.suspended', 'device.reactivated'], expected: 'FIELD_ACTIVE' },
      { events: ['device.suspended', 'device.reactivated', 'device.reactivated'], expected: 'FIELD_ACTIVE' },
      { events: ['device.reactivated'], expected: 'FIELD_ACTIVE' },
      { events: ['device.decommissioned', 'device.decommissioned'], expected: 'DECOMMISSIONED' },
      { events: ['device.decommissioned', 'device.suspended'], expected: 'DECOMMISSIONED' },
      { events: ['device.suspended', 'device.decommissioned'], expected: 'DECOMMISSIONED' },
    ] as { events: StateEventType[]; expected: string }[])(
      'should end $expected after $events',
      async ({ events, expected }) => {
        const deviceId = `amr-${randomUUID()}`;
        await deliver(transferred(deviceId, robomake.id, warehouseA.id, new Date(Date.now() - 1000)));
        for (const type of events) await deliver(stateChange(type, deviceId, warehouseA.id));
        expect(await rowsOf(deviceId)).toEqual([expect.objectContaining({ state: expected })]);
      },
    );

    it('should deliver the same suspension twice without error and restore the suspended state once', async () => {
      const deviceId = `amr-${randomUUID()}`;
      await deliver(provisioned(deviceId, robomake.id, new Date(Date.now() - 2000)));
      const suspension = stateChange('device.suspended', deviceId, robomake.id, new Date(Date.now() - 1000));
      await deliver(suspension);
      await deliver(suspension);
      await deliver(stateChange('device.reactivated', deviceId, robomake.id));
      // It was suspended from FACTORY_PROVISIONED, and returns there (the event names no state).
      expect(await rowsOf(deviceId)).toEqual([
        expect.objectContaining({ state: 'FACTORY_PROVISIONED', suspendedFrom: null }),
      ]);
    });

    it('should ignore a state change for a device it never saw', async () => {
      const deviceId = `amr-${randomUUID()}`;
      await expect(deliver(stateChange('device.suspended', deviceId, robomake.id))).resolves.toBeUndefined();
      expect(await rowsOf(deviceId)).toEqual([]);
    });
  });

  describe('reads', () => {
    let fleetRoot: Account;
    let fleetChild: Account;

    beforeAll(async () => {
      fleetRoot = await fixtures.root('Fleet Maker', 'maker');
      fleetChild = await fixtures.child(fleetRoot, 'Fleet Distributor', 'member');
      for (let i = 0; i < 5; i++) await deliver(provisioned(`fleet-${i}`, fleetRoot.id));
      for (let i = 5; i < 8; i++) {
        await deliver(transferred(`fleet-${i}`, fleetRoot.id, fleetChild.id));
      }
      await deliver(
        envelope(
          'device.provisioned',
          provisionedPayload('fleet-cam', fleetRoot.id, amrAttributes('fleet-cam', { type: 'camera', model: 'C2' })),
          {
            accountId: fleetRoot.id,
            deviceId: 'fleet-cam',
          },
        ),
      );
    });

    it.each([
      { filter: {}, expected: 9 },
      { filter: { type: 'camera' }, expected: 1 },
      { filter: { model: 'X1' }, expected: 8 },
      { filter: { state: 'FIELD_ACTIVE' as const }, expected: 3 },
      { filter: { state: 'SUSPENDED' as const }, expected: 0 },
    ])('should count $expected devices of the subtree matching $filter', async ({ filter, expected }) => {
      const page = await repository.listVisible(subtreeOf(fleetRoot), filter, FIRST_PAGE);
      expect(page.total).toBe(expected);
      expect(page.items).toHaveLength(expected);
    });

    it('should filter by owner inside the scope, and find nothing outside it', async () => {
      const own = await repository.listVisible(subtreeOf(fleetRoot), { ownerAccountId: fleetChild.id }, FIRST_PAGE);
      expect(own.total).toBe(3);
      const foreign = await repository.listVisible(subtreeOf(fleetChild), { ownerAccountId: fleetRoot.id }, FIRST_PAGE);
      expect(foreign.total).toBe(0);
    });

    it('should page in id order with a cursor and a constant total', async () => {
      const first = await repository.listVisible(subtreeOf(fleetRoot), {}, { after: null, limit: 4 });
      const after = first.items.at(-1)?.id ?? null;
      const second = await repository.listVisible(subtreeOf(fleetRoot), {}, { after, limit: 4 });
      const third = await repository.listVisible(
        subtreeOf(fleetRoot),
        {},
        { after: second.items.at(-1)?.id ?? null, limit: 4 },
      );
      expect([first.total, second.total, third.total]).toEqual([9, 9, 9]);
      expect(first.nextCursor).not.toBeNull();
      expect(third.nextCursor).toBeNull();
      const ids = [...first.items, ...second.items, ...third.items].map((device) => device.id);
      expect(ids).toEqual([...ids].sort());
      expect(new Set(ids).size).toBe(9);
    });

    it('should count owned and subtree devices of an account', async () => {
      expect(await repository.countFor(subtreeOf(fleetRoot), fleetRoot)).toEqual({ owned: 6, total: 9 });
      expect(await repository.countFor(subtreeOf(fleetRoot), fleetChild)).toEqual({ owned: 3, total: 3 });
      // The scope bounds the query even if a caller were to pass an account above it.
      expect(await repository.countFor(subtreeOf(fleetChild), fleetRoot)).toEqual({ owned: 0, total: 3 });
    });
  });
});
