import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import type { FactKind, IssuanceFact } from './domain/issuance-policy.js';

export interface NewFact {
  id: string;
  kind: FactKind;
  deviceId: string;
  accountId: string;
  listingId: string;
  softwareVersion: string | null;
  passed: boolean | null;
  details: Record<string, unknown> | null;
  occurredAt: Date;
}

/** The only door to `trust_mint.issuance_facts`: what happened, until a license policy uses it. */
@Injectable()
export class FactsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** @returns false when the fact was recorded before (a replayed event). */
  async record(tx: Tx, fact: NewFact): Promise<boolean> {
    const { count } = await tx.trustMintIssuanceFact.createMany({
      data: [{ ...fact, details: (fact.details ?? undefined) as Prisma.InputJsonValue | undefined }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  async unconsumed(tx: Tx, listingId: string, deviceId: string): Promise<IssuanceFact[]> {
    const rows = await tx.trustMintIssuanceFact.findMany({
      where: { listingId, deviceId, consumedAt: null },
      orderBy: { occurredAt: 'asc' },
    });
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      softwareVersion: row.softwareVersion,
      passed: row.passed,
      occurredAt: row.occurredAt,
      accountId: row.accountId,
    }));
  }

  /** Devices with facts about a listing that no license has used yet (re-evaluated when it is published). */
  async devicesWaitingOn(tx: Tx, listingId: string): Promise<{ deviceId: string; accountId: string }[]> {
    const rows = await tx.trustMintIssuanceFact.findMany({
      where: { listingId, consumedAt: null },
      distinct: ['deviceId'],
      select: { deviceId: true, accountId: true },
      take: 10_000,
    });
    return rows;
  }

  async consume(tx: Tx, factIds: string[], licenseId: string | null): Promise<void> {
    await tx.trustMintIssuanceFact.updateMany({
      where: { id: { in: factIds }, consumedAt: null },
      data: { consumedAt: new Date(), licenseId },
    });
  }
}
