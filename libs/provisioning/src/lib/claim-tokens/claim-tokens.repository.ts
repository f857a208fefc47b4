import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import type { ClaimTokenKind, Priority } from './domain/claim-token-rules.js';

export interface StoredClaimToken {
  id: string;
  tokenHint: string;
  kind: ClaimTokenKind;
  accountId: string;
  deviceType: string;
  priority: Priority;
  batchId: string;
  expiresAt: Date;
  usedAt: Date | null;
  usedByDeviceId: string | null;
  createdAt: Date;
}

type Row = Prisma.ClaimTokenGetPayload<object>;
const toToken = (row: Row): StoredClaimToken => ({
  id: row.id,
  tokenHint: row.tokenHint,
  kind: row.kind as ClaimTokenKind,
  accountId: row.accountId,
  deviceType: row.deviceType,
  priority: row.priority as Priority,
  batchId: row.batchId,
  expiresAt: row.expiresAt,
  usedAt: row.usedAt,
  usedByDeviceId: row.usedByDeviceId,
  createdAt: row.createdAt,
});

/** The only door to `provisioning.claim_tokens`; tokens are looked up by their sha256 only. */
@Injectable()
export class ClaimTokensRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async insertBatch(
    tokens: (Omit<StoredClaimToken, 'usedAt' | 'usedByDeviceId' | 'createdAt'> & {
      tokenHash: string;
      createdBy: string;
    })[],
  ): Promise<void> {
    await this.prisma.claimToken.createMany({ data: tokens });
  }

  /** One unique-index lookup: what every token enrollment starts with. */
  async findByHash(tokenHash: string): Promise<StoredClaimToken | null> {
    const row = await this.prisma.claimToken.findUnique({ where: { tokenHash } });
    return row ? toToken(row) : null;
  }

  /**
   * Consumes the token if it is still unused and unexpired: one conditional UPDATE, so of any
   * number of concurrent enrollments exactly one gets `true`.
   */
  async consume(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.claimToken.updateMany({
      where: { id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return count === 1;
  }

  /** Records which device the consumed token enrolled, in the enrollment's transaction. */
  async bindToDevice(tx: Tx, id: string, deviceId: string): Promise<void> {
    await tx.claimToken.update({ where: { id }, data: { usedByDeviceId: deviceId } });
  }

  /** Gives a consumed token back after its enrollment failed (a failed request changes nothing). */
  async release(id: string): Promise<void> {
    await this.prisma.claimToken.updateMany({ where: { id, usedByDeviceId: null }, data: { usedAt: null } });
  }

  async listUnused(
    accountId: string,
    now: Date,
    page: { after: string | null; limit: number },
  ): Promise<StoredClaimToken[]> {
    const rows = await this.prisma.claimToken.findMany({
      where: { accountId, usedAt: null, expiresAt: { gt: now }, ...(page.after ? { id: { gt: page.after } } : {}) },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
    return rows.map(toToken);
  }
}
