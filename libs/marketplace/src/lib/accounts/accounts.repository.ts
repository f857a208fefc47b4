import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';
import type { KnownAccount } from './domain/account.js';

/** The only door to `marketplace.accounts`, the projection of org.account.created. */
@Injectable()
export class MarketplaceAccountsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async record(tx: Tx, account: KnownAccount): Promise<void> {
    await tx.marketplaceAccount.createMany({ data: [account], skipDuplicates: true });
  }

  async find(accountId: string): Promise<KnownAccount | null> {
    const row = await this.prisma.marketplaceAccount.findUnique({ where: { id: accountId } });
    return row ? { id: row.id, kind: row.kind, parentId: row.parentId, orgRootId: row.orgRootId } : null;
  }
}
