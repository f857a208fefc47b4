import { Inject, Injectable } from '@nestjs/common';
import type { ReadScope } from '@flexgalaxy/auth';
import { lifecycleStateSchema } from '@flexgalaxy/contracts';
import { isUniqueViolation, PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import type { HistoryEntry, IdentityMethod, ProvisionedDevice } from './domain/device.js';
import type { LifecycleState } from './domain/lifecycle.js';

type Row = Prisma.ProvisioningDeviceGetPayload<object>;

function toDevice(row: Row): ProvisionedDevice {
  return {
    id: row.id,
    accountId: row.accountId,
    ownerPath: row.ownerPath,
    manufacturer: row.manufacturer,
    serial: row.serial,
    controllerSerial: row.controllerSerial,
    type: row.type,
    model: row.model,
    revision: row.revision,
    firmwareVersion: row.firmwareVersion,
    capabilities: [...row.capabilities],
    timezone: row.timezone,
    priority: row.priority,
    state: lifecycleStateSchema.parse(row.state),
    suspendedFrom: row.suspendedFrom === null ? null : lifecycleStateSchema.parse(row.suspendedFrom),
    identityMethod: row.identityMethod as IdentityMethod,
    m2mClientId: row.m2mClientId,
    m2mPermissions: [...row.m2mPermissions],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const LIVE = {
  state: { notIn: ['REJECTED', 'DECOMMISSIONED', 'UNMANAGED'] },
} satisfies Prisma.ProvisioningDeviceWhereInput;

function visibleTo(scope: ReadScope): Prisma.ProvisioningDeviceWhereInput {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'subtree':
      return { ownerPath: { startsWith: scope.pathPrefix } };
    case 'own':
      return { accountId: scope.accountId };
  }
}

/** The device's current state changed under us (another operation won the race). */
export class StaleDeviceError extends Error {}

/** A live device with the same (manufacturer, serial) was committed meanwhile. */
export class DuplicateSerialError extends Error {}

export type DeviceChanges = Partial<
  Pick<
    ProvisionedDevice,
    | 'accountId'
    | 'ownerPath'
    | 'serial'
    | 'controllerSerial'
    | 'type'
    | 'model'
    | 'revision'
    | 'firmwareVersion'
    | 'capabilities'
    | 'timezone'
    | 'priority'
    | 'state'
    | 'suspendedFrom'
    | 'identityMethod'
    | 'm2mClientId'
    | 'm2mPermissions'
  >
>;

/** The only door to `provisioning.devices` and `provisioning.device_history`. */
@Injectable()
export class DevicesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** The live device with this serial (unique partial index). */
  async findLiveBySerial(manufacturer: string, serial: string): Promise<ProvisionedDevice | null> {
    const row = await this.prisma.provisioningDevice.findFirst({
      where: { manufacturer, serial, ...LIVE },
    });
    return row ? toDevice(row) : null;
  }

  /** The live device assembled around this controller serial (seed 002 parent_serial), if any. */
  async findLiveByControllerSerial(manufacturer: string, controllerSerial: string): Promise<ProvisionedDevice | null> {
    const row = await this.prisma.provisioningDevice.findFirst({ where: { manufacturer, controllerSerial, ...LIVE } });
    return row ? toDevice(row) : null;
  }

  /** Unscoped read for the device's own enrollment (its identity proof is the authorisation). */
  async findById(id: string): Promise<ProvisionedDevice | null> {
    const row = await this.prisma.provisioningDevice.findUnique({ where: { id } });
    return row ? toDevice(row) : null;
  }

  async findVisible(scope: ReadScope, id: string): Promise<ProvisionedDevice | null> {
    const row = await this.prisma.provisioningDevice.findFirst({
      where: { AND: [visibleTo(scope), { id, state: { not: 'UNMANAGED' } }] },
    });
    return row ? toDevice(row) : null;
  }

  async insert(tx: Tx, device: ProvisionedDevice): Promise<ProvisionedDevice> {
    try {
      const { createdAt: _c, updatedAt: _u, ...data } = device;
      return toDevice(await tx.provisioningDevice.create({ data }));
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateSerialError();
      throw error;
    }
  }

  /** Applies `changes` only if the device is still in `expectedState` (optimistic concurrency). */
  async update(tx: Tx, id: string, expectedState: LifecycleState, changes: DeviceChanges): Promise<ProvisionedDevice> {
    let count: number;
    try {
      ({ count } = await tx.provisioningDevice.updateMany({
        where: { id, state: expectedState },
        // updatedAt always changes, so a change with no other field (a rotation) still counts as one.
        data: { ...changes, updatedAt: new Date() },
      }));
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateSerialError();
      throw error;
    }
    if (count !== 1) throw new StaleDeviceError(`device ${id} is no longer ${expectedState}`);
    const row = await tx.provisioningDevice.findUniqueOrThrow({ where: { id } });
    return toDevice(row);
  }

  async appendHistory(
    tx: Tx | PrismaService,
    deviceId: string,
    entry: Omit<HistoryEntry, 'occurredAt'>,
  ): Promise<void> {
    await tx.provisioningHistoryEntry.create({
      data: {
        deviceId,
        action: entry.action,
        fromState: entry.fromState,
        toState: entry.toState,
        accountId: entry.accountId,
        actor: entry.actor,
        reason: entry.reason,
        details: entry.details as Prisma.InputJsonObject,
      },
    });
  }

  async history(deviceId: string): Promise<HistoryEntry[]> {
    const rows = await this.prisma.provisioningHistoryEntry.findMany({
      where: { deviceId },
      orderBy: { id: 'asc' },
      take: 1000,
    });
    return rows.map((row) => ({
      action: row.action as HistoryEntry['action'],
      fromState: row.fromState === null ? null : lifecycleStateSchema.parse(row.fromState),
      toState: lifecycleStateSchema.parse(row.toState),
      accountId: row.accountId,
      actor: row.actor,
      reason: row.reason,
      details: (row.details ?? {}) as Record<string, unknown>,
      occurredAt: row.occurredAt,
    }));
  }
}
