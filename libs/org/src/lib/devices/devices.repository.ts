import { Inject, Injectable } from '@nestjs/common';
import type { ReadScope } from '@flexgalaxy/auth';
import { lifecycleStateSchema } from '@flexgalaxy/contracts';
import { lockKey, PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { pageOf, type CountedPage, type PageRequest } from '@flexgalaxy/service-kit';
import type { DeviceCounts, DeviceFilter, DeviceRecord } from './domain/device.js';
import type { DeviceOwnership, DeviceStateSnapshot } from './domain/device-projection.js';

type DeviceRow = Prisma.DeviceGetPayload<object>;

function toDevice(row: DeviceRow): DeviceRecord {
  return {
    id: row.id,
    ownerAccountId: row.ownerAccountId,
    ownerPath: row.ownerPath,
    serial: row.serial,
    type: row.type,
    model: row.model,
    revision: row.revision,
    manufacturer: row.manufacturer,
    // Written only from contract-validated events; parsing keeps a bad row from leaking out typed.
    state: lifecycleStateSchema.parse(row.state),
    updatedAt: row.updatedAt,
  };
}

/**
 * The visibility rule as a WHERE clause: a prefix match on the owner's path, answered by the
 * text_pattern_ops index (devices_owner_path_prefix_idx). Devices whose owner org has not placed
 * yet (owner_path NULL) fall outside every subtree.
 */
function visibleTo(scope: ReadScope): Prisma.DeviceWhereInput {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'subtree':
      return { ownerPath: { startsWith: scope.pathPrefix } };
    case 'own':
      return { ownerAccountId: scope.accountId };
  }
}

function matching(filter: DeviceFilter): Prisma.DeviceWhereInput {
  return {
    ...(filter.ownerAccountId !== undefined ? { ownerAccountId: filter.ownerAccountId } : {}),
    ...(filter.type !== undefined ? { type: filter.type } : {}),
    ...(filter.model !== undefined ? { model: filter.model } : {}),
    ...(filter.state !== undefined ? { state: filter.state } : {}),
  };
}

interface StateRow {
  state: string;
  suspended_from: string | null;
  last_event_at: Date;
}

/**
 * Serialises, per account, the two writers of `owner_path`: device events resolving their owner's
 * path (`shared`: they do not wait for each other, so a factory enrolling into one account is not
 * serialised) and the account-created handler filling in paths that were still unknown
 * (`exclusive`). Without it, a device written while its account's creation commits could keep a
 * NULL path forever (each side's statement would miss the other's uncommitted row). Taken before
 * the statement that reads, so under READ COMMITTED that statement sees whatever the other side
 * committed.
 */
const lockOwner = (tx: Tx, accountId: string, mode: 'shared' | 'exclusive') =>
  lockKey(tx, `org.device-owner:${accountId}`, mode);

/** The only door to `org.devices`: the event-fed ownership projection DeviceAdmin reads. */
@Injectable()
export class DevicesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Upserts a device's owner and attributes unless the row already reflects a newer event.
   * The owner's path is resolved in the same statement (NULL if org does not know the account).
   * @returns whether the row changed.
   */
  async recordOwnership(tx: Tx, device: DeviceOwnership): Promise<boolean> {
    await lockOwner(tx, device.ownerAccountId, 'shared');
    const changed = await tx.$executeRaw`
      INSERT INTO "org"."devices" AS d
        ("id", "owner_account_id", "owner_path", "serial", "type", "model", "revision", "manufacturer",
         "state", "suspended_from", "last_event_at", "created_at", "updated_at")
      VALUES (
        ${device.deviceId}, ${device.ownerAccountId},
        (SELECT a."path" FROM "org"."accounts" a WHERE a."id" = ${device.ownerAccountId}),
        ${device.serial}, ${device.type}, ${device.model}, ${device.revision}, ${device.manufacturer},
        ${device.state}, NULL, ${device.occurredAt}, now(), now())
      ON CONFLICT ("id") DO UPDATE SET
        "owner_account_id" = EXCLUDED."owner_account_id",
        "owner_path" = EXCLUDED."owner_path",
        "serial" = EXCLUDED."serial",
        "type" = EXCLUDED."type",
        "model" = EXCLUDED."model",
        "revision" = EXCLUDED."revision",
        "manufacturer" = EXCLUDED."manufacturer",
        "state" = EXCLUDED."state",
        "suspended_from" = CASE WHEN EXCLUDED."state" = 'SUSPENDED' THEN d."suspended_from" ELSE NULL END,
        "last_event_at" = EXCLUDED."last_event_at",
        "updated_at" = now()
      WHERE d."last_event_at" <= EXCLUDED."last_event_at"`;
    return changed > 0;
  }

  /** The device's state, row-locked until the transaction ends; null if the device is unknown. */
  async lockState(tx: Tx, deviceId: string): Promise<DeviceStateSnapshot | null> {
    const [row] = await tx.$queryRaw<StateRow[]>`
      SELECT "state", "suspended_from", "last_event_at" FROM "org"."devices" WHERE "id" = ${deviceId} FOR UPDATE`;
    if (!row) return null;
    return {
      state: lifecycleStateSchema.parse(row.state),
      suspendedFrom: row.suspended_from === null ? null : lifecycleStateSchema.parse(row.suspended_from),
      lastEventAt: new Date(row.last_event_at),
    };
  }

  async saveState(tx: Tx, deviceId: string, next: DeviceStateSnapshot): Promise<void> {
    await tx.device.update({
      where: { id: deviceId },
      data: { state: next.state, suspendedFrom: next.suspendedFrom, lastEventAt: next.lastEventAt },
    });
  }

  /**
   * Fills in the path of devices recorded before org knew their owner account.
   * @returns how many devices were placed.
   */
  async placeDevicesOf(tx: Tx, ownerAccountId: string): Promise<number> {
    await lockOwner(tx, ownerAccountId, 'exclusive');
    return tx.$executeRaw`
      UPDATE "org"."devices" AS d SET "owner_path" = a."path", "updated_at" = now()
        FROM "org"."accounts" a
       WHERE a."id" = ${ownerAccountId} AND d."owner_account_id" = a."id" AND d."owner_path" IS DISTINCT FROM a."path"`;
  }

  async findVisible(scope: ReadScope, deviceId: string): Promise<DeviceRecord | null> {
    const row = await this.prisma.device.findFirst({ where: { AND: [visibleTo(scope), { id: deviceId }] } });
    return row ? toDevice(row) : null;
  }

  async listVisible(scope: ReadScope, filter: DeviceFilter, page: PageRequest): Promise<CountedPage<DeviceRecord>> {
    const where: Prisma.DeviceWhereInput = { AND: [visibleTo(scope), matching(filter)] };
    const [rows, total] = await Promise.all([
      this.prisma.device.findMany({
        where: page.after === null ? where : { AND: [where, { id: { gt: page.after } }] },
        orderBy: { id: 'asc' },
        take: page.limit + 1,
      }),
      this.prisma.device.count({ where }),
    ]);
    return pageOf(rows.map(toDevice), page.limit, (device) => device.id, total);
  }

  /** Counts for one account the caller may see; the scope still bounds the query. */
  async countFor(scope: ReadScope, account: { id: string; path: string }): Promise<DeviceCounts> {
    const [owned, total] = await Promise.all([
      this.prisma.device.count({ where: { AND: [visibleTo(scope), { ownerAccountId: account.id }] } }),
      this.prisma.device.count({ where: { AND: [visibleTo(scope), { ownerPath: { startsWith: account.path } }] } }),
    ]);
    return { owned, total };
  }
}
