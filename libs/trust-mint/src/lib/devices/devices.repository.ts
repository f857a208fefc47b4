import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { pageOf, type Page, type PageRequest } from '@flexgalaxy/service-kit';
import type { TrustMintDevice } from './domain/device.js';

type DeviceRow = Prisma.TrustMintDeviceGetPayload<object>;

function toDevice(row: DeviceRow): TrustMintDevice {
  return {
    id: row.id,
    accountId: row.accountId,
    enrolledAccountId: row.enrolledAccountId,
    attributes: row.attributes as Record<string, unknown>,
    state: row.state,
    enrolledAt: row.enrolledAt,
    lastEventAt: row.lastEventAt,
  };
}

export interface DeviceFacts {
  deviceId: string;
  accountId: string;
  attributes: Record<string, unknown>;
  state: string;
  occurredAt: Date;
}

/** The only door to `trust_mint.devices`, the projection of device.* events. */
@Injectable()
export class DevicesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Records a device's owner and attributes unless the row reflects a newer event already
   * (device.* topics are not ordered against each other). The first event seen sets enrollment.
   * @returns the row as it stands after the write.
   */
  async record(tx: Tx, facts: DeviceFacts): Promise<TrustMintDevice> {
    const attributes = JSON.stringify(facts.attributes);
    await tx.$executeRaw`
      INSERT INTO "trust_mint"."devices" AS d
        ("id", "account_id", "enrolled_account_id", "attributes", "state", "enrolled_at", "last_event_at")
      VALUES (${facts.deviceId}, ${facts.accountId}, ${facts.accountId}, ${attributes}::jsonb, ${facts.state},
              ${facts.occurredAt}, ${facts.occurredAt})
      ON CONFLICT ("id") DO UPDATE SET
        "account_id" = EXCLUDED."account_id",
        "attributes" = EXCLUDED."attributes",
        "state" = EXCLUDED."state",
        "last_event_at" = EXCLUDED."last_event_at"
      WHERE d."last_event_at" <= EXCLUDED."last_event_at"`;
    const row = await tx.trustMintDevice.findUniqueOrThrow({ where: { id: facts.deviceId } });
    return toDevice(row);
  }

  /** Enrollment facts win over whatever event happened to arrive first. */
  async markEnrolled(tx: Tx, deviceId: string, accountId: string, at: Date): Promise<void> {
    await tx.trustMintDevice.update({
      where: { id: deviceId },
      data: { enrolledAccountId: accountId, enrolledAt: at },
    });
  }

  async setState(tx: Tx, deviceId: string, state: string, at: Date): Promise<void> {
    await tx.trustMintDevice.updateMany({
      where: { id: deviceId, lastEventAt: { lte: at } },
      data: { state, lastEventAt: at },
    });
  }

  async find(deviceId: string, tx?: Tx): Promise<TrustMintDevice | null> {
    const row = await (tx ?? this.prisma).trustMintDevice.findUnique({ where: { id: deviceId } });
    return row ? toDevice(row) : null;
  }

  /** The device if this account owns it now; null when missing or someone else's, alike. */
  async findOwned(accountId: string, deviceId: string): Promise<TrustMintDevice | null> {
    const row = await this.prisma.trustMintDevice.findFirst({ where: { id: deviceId, accountId } });
    return row ? toDevice(row) : null;
  }

  async listOwned(accountId: string | null, page: PageRequest): Promise<Page<TrustMintDevice>> {
    const rows = await this.prisma.trustMintDevice.findMany({
      where: {
        ...(accountId ? { accountId } : {}),
        ...(page.after ? { id: { gt: page.after } } : {}),
      },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
    return pageOf(rows.map(toDevice), page.limit, (device) => device.id);
  }
}
