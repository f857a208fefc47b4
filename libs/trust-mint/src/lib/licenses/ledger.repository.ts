import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { pageOf, type Page, type PageRequest } from '@flexgalaxy/service-kit';
import type { LicenseType } from './domain/license.js';

export type LedgerOperation =
  'ISSUED' | 'REVOKED' | 'SUPERSEDED' | 'TRANSFERRED' | 'UPGRADE_REQUESTED' | 'UPGRADE_APPROVED' | 'UPGRADE_REFUSED';

export interface NewLedgerEntry {
  operation: LedgerOperation;
  licenseId: string | null;
  upgradeRequestId?: string | null;
  accountId: string;
  deviceId: string | null;
  softwareId: string;
  licenseType: LicenseType;
  /** Who did it: a token subject, or `system:<why>` for event- and policy-driven operations. */
  actor: string;
  details?: Record<string, unknown>;
}

export interface LedgerEntry extends Required<NewLedgerEntry> {
  seq: string;
  id: string;
  occurredAt: Date;
}

export interface LedgerFilter {
  accountId?: string;
  licenseId?: string;
  softwareId?: string;
  operation?: LedgerOperation;
}

type LedgerRow = Prisma.TrustMintLedgerEntryGetPayload<object>;

function toEntry(row: LedgerRow): LedgerEntry {
  return {
    seq: row.seq.toString(),
    id: row.id,
    operation: row.operation,
    licenseId: row.licenseId,
    upgradeRequestId: row.upgradeRequestId,
    accountId: row.accountId,
    deviceId: row.deviceId,
    softwareId: row.softwareId,
    licenseType: row.licenseType,
    actor: row.actor,
    details: (row.details ?? {}) as Record<string, unknown>,
    occurredAt: row.occurredAt,
  };
}

/**
 * The license ledger (seed 001 "Records issuance in license ledger"), which is also the platform
 * audit trail. Append-only by design and by the database: this class has no update or delete,
 * and a trigger refuses UPDATE, DELETE and TRUNCATE on the table.
 */
@Injectable()
export class LedgerRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async append(tx: Tx, entry: NewLedgerEntry): Promise<void> {
    await tx.trustMintLedgerEntry.create({
      data: {
        id: randomUUID(),
        operation: entry.operation,
        licenseId: entry.licenseId,
        upgradeRequestId: entry.upgradeRequestId ?? null,
        accountId: entry.accountId,
        deviceId: entry.deviceId,
        softwareId: entry.softwareId,
        licenseType: entry.licenseType,
        actor: entry.actor,
        details: (entry.details ?? {}) as Prisma.InputJsonValue,
      },
    });
  }

  /** Newest first; platform-wide (the audit trail is for platform admins only). */
  async page(filter: LedgerFilter, page: PageRequest): Promise<Page<LedgerEntry>> {
    const rows = await this.prisma.trustMintLedgerEntry.findMany({
      where: {
        ...(filter.accountId ? { accountId: filter.accountId } : {}),
        ...(filter.licenseId ? { licenseId: filter.licenseId } : {}),
        ...(filter.softwareId ? { softwareId: filter.softwareId } : {}),
        ...(filter.operation ? { operation: filter.operation } : {}),
        ...(page.after ? { seq: { lt: BigInt(page.after) } } : {}),
      },
      orderBy: { seq: 'desc' },
      take: page.limit + 1,
    });
    return pageOf(rows.map(toEntry), page.limit, (entry) => entry.seq);
  }

  /** Every entry of one license, oldest first (its history). */
  async historyOf(licenseId: string): Promise<LedgerEntry[]> {
    const rows = await this.prisma.trustMintLedgerEntry.findMany({ where: { licenseId }, orderBy: { seq: 'asc' } });
    return rows.map(toEntry);
  }
}
