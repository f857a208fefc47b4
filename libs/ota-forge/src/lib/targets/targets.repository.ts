import { Inject, Injectable } from '@nestjs/common';
import { lockKey, PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { storedKeys } from '../rollouts/domain/target-expression.js';
import type { Target, TargetAttributes, TargetFromEvent, TargetPatch, TargetWrite } from './domain/target.js';

type TargetRow = Prisma.OtaTargetGetPayload<object>;

function toTarget(row: TargetRow): Target {
  return {
    controllerId: row.controllerId,
    accountId: row.accountId,
    name: row.name,
    enabled: row.enabled,
    attributes: {
      type: row.type,
      model: row.model,
      revision: row.revision,
      manufacturer: row.manufacturer,
      serial: row.serial,
      firmwareVersion: row.firmwareVersion,
      capabilities: row.capabilities,
      timezone: row.timezone,
    },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The attribute columns with their derived folded / sort-key columns (@flexgalaxy/targeting). */
function attributeColumns(attributes: Omit<TargetAttributes, 'timezone'>) {
  const keys = storedKeys({
    type: attributes.type,
    model: attributes.model,
    manufacturer: attributes.manufacturer,
    revision: attributes.revision,
    serial: attributes.serial,
    firmware_version: attributes.firmwareVersion,
  });
  return {
    type: attributes.type,
    typeFolded: keys.folded.type ?? attributes.type,
    model: attributes.model,
    modelFolded: keys.folded.model,
    revision: attributes.revision,
    revisionKey: keys.sortKeys.revision,
    manufacturer: attributes.manufacturer,
    manufacturerFolded: keys.folded.manufacturer ?? attributes.manufacturer,
    serial: attributes.serial,
    serialKey: keys.sortKeys.serial ?? attributes.serial,
    firmwareVersion: attributes.firmwareVersion,
    firmwareVersionKey: keys.sortKeys.firmware_version,
    capabilities: [...new Set(attributes.capabilities)],
  };
}

const orgRootOf = (tx: Tx, accountId: string) =>
  tx.otaAccount.findUnique({ where: { id: accountId }, select: { orgRootId: true } }).then((a) => a?.orgRootId ?? null);

/**
 * Serialises, per account, the account-created handler filling in org roots that were still
 * unknown (`exclusive`) against target writes resolving their owner's org root (`shared`: the
 * writes do not wait for each other, so a factory enrolling into one account is not serialised).
 * The same race org's projection has.
 */
const lockAccount = (tx: Tx, accountId: string, mode: 'shared' | 'exclusive') =>
  lockKey(tx, `ota.target-account:${accountId}`, mode);

/** The only door to `ota.targets` for the targets API and the device-event projection. */
@Injectable()
export class TargetsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Creates or replaces a target (PUT); the maker is the first owner and never changes. */
  async upsert(tx: Tx, controllerId: string, write: TargetWrite): Promise<{ target: Target; created: boolean }> {
    await lockAccount(tx, write.accountId, 'shared');
    const existing = await tx.otaTarget.findUnique({ where: { controllerId }, select: { controllerId: true } });
    const data = {
      accountId: write.accountId,
      orgRootId: await orgRootOf(tx, write.accountId),
      name: write.name,
      securityTokenHash: write.tokenHash,
      timezone: write.attributes.timezone,
      ...attributeColumns(write.attributes),
    };
    const row = existing
      ? await tx.otaTarget.update({ where: { controllerId }, data })
      : await tx.otaTarget.create({ data: { controllerId, makerAccountId: write.accountId, ...data } });
    return { target: toTarget(row), created: !existing };
  }

  /** Applies a PATCH; null when there is no such target. */
  async patch(tx: Tx, controllerId: string, patch: TargetPatch): Promise<Target | null> {
    const [locked] = await tx.$queryRaw<{ controller_id: string }[]>`
      SELECT "controller_id" FROM "ota"."targets" WHERE "controller_id" = ${controllerId} FOR UPDATE`;
    if (!locked) return null;
    const current = toTarget(await tx.otaTarget.findUniqueOrThrow({ where: { controllerId } }));
    const attributes = { ...current.attributes, ...patch.attributes };
    if (patch.accountId !== undefined) await lockAccount(tx, patch.accountId, 'shared');
    const row = await tx.otaTarget.update({
      where: { controllerId },
      data: {
        ...(patch.accountId !== undefined
          ? { accountId: patch.accountId, orgRootId: await orgRootOf(tx, patch.accountId) }
          : {}),
        ...(patch.tokenHash !== undefined ? { securityTokenHash: patch.tokenHash } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
        ...(patch.attributes ? { timezone: attributes.timezone, ...attributeColumns(attributes) } : {}),
      },
    });
    return toTarget(row);
  }

  async delete(tx: Tx, controllerId: string): Promise<boolean> {
    const { count } = await tx.otaTarget.deleteMany({ where: { controllerId } });
    return count > 0;
  }

  async find(controllerId: string, tx?: Tx): Promise<Target | null> {
    // Inside a transaction, read through it: PGlite has one connection, another would wait on it.
    const row = await (tx ?? this.prisma).otaTarget.findUnique({ where: { controllerId } });
    return row ? toTarget(row) : null;
  }

  /**
   * Records what a device event says, unless the row already reflects a newer event. A target the
   * targets API has not created yet is created without a token (DDI refuses it until the PUT).
   * @returns whether the row changed, and the owner before the change.
   */
  async recordFromEvent(
    tx: Tx,
    event: TargetFromEvent,
  ): Promise<{ applied: boolean; previousAccountId: string | null }> {
    await lockAccount(tx, event.accountId, 'shared');
    const [current] = await tx.$queryRaw<{ account_id: string; last_event_at: Date | null }[]>`
      SELECT "account_id", "last_event_at" FROM "ota"."targets" WHERE "controller_id" = ${event.controllerId} FOR UPDATE`;
    if (current?.last_event_at && new Date(current.last_event_at) > event.occurredAt) {
      return { applied: false, previousAccountId: current.account_id };
    }
    const data = {
      accountId: event.accountId,
      orgRootId: await orgRootOf(tx, event.accountId),
      lastEventAt: event.occurredAt,
      ...attributeColumns(event.attributes),
    };
    if (current) {
      await tx.otaTarget.update({ where: { controllerId: event.controllerId }, data });
    } else {
      await tx.otaTarget.create({
        data: {
          controllerId: event.controllerId,
          makerAccountId: event.makerAccountId,
          name: event.controllerId,
          ...data,
        },
      });
    }
    return { applied: true, previousAccountId: current?.account_id ?? null };
  }

  /** Fills in the org root of targets recorded before the accounts projection knew their owner. */
  async placeTargetsOf(tx: Tx, accountId: string, orgRootId: string): Promise<number> {
    await lockAccount(tx, accountId, 'exclusive');
    const { count } = await tx.otaTarget.updateMany({
      where: { accountId, OR: [{ orgRootId: null }, { orgRootId: { not: orgRootId } }] },
      data: { orgRootId },
    });
    return count;
  }
}
