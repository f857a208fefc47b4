import { Inject, Injectable } from '@nestjs/common';
import type { ReadScope } from '@flexgalaxy/auth';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { pageOf, type CountedPage, type PageRequest } from '@flexgalaxy/service-kit';
import type { Account, NewAccount } from './domain/account.js';

type AccountRow = Prisma.AccountGetPayload<object>;

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    parentId: row.parentId,
    orgRootId: row.orgRootId,
    path: row.path,
    depth: row.depth,
    createdAt: row.createdAt,
  };
}

/**
 * The visibility rule as a WHERE clause: a prefix match on the materialized path, answered by
 * the text_pattern_ops index (accounts_path_prefix_idx).
 */
function visibleTo(scope: ReadScope): Prisma.AccountWhereInput {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'subtree':
      return { path: { startsWith: scope.pathPrefix } };
    case 'own':
      return { id: scope.accountId };
  }
}

/** The only door to `org.accounts`; every read takes the caller's ReadScope. */
@Injectable()
export class AccountsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** The path of the caller's own account (how visibility places it), or null if org lacks it. */
  async findPathOf(ownAccountId: string): Promise<string | null> {
    const row = await this.prisma.account.findUnique({ where: { id: ownAccountId }, select: { path: true } });
    return row?.path ?? null;
  }

  async findVisible(scope: ReadScope, accountId: string): Promise<Account | null> {
    const row = await this.prisma.account.findFirst({ where: { AND: [visibleTo(scope), { id: accountId }] } });
    return row ? toAccount(row) : null;
  }

  async listVisible(scope: ReadScope, page: PageRequest): Promise<CountedPage<Account>> {
    return this.page(visibleTo(scope), page);
  }

  /** Children of `parentId`, themselves filtered by the scope (the parent's visibility is checked by the caller). */
  async listVisibleChildren(scope: ReadScope, parentId: string, page: PageRequest): Promise<CountedPage<Account>> {
    return this.page({ AND: [visibleTo(scope), { parentId }] }, page);
  }

  /** Writes an account planned by the hierarchy rules, inside the caller's transaction. */
  async insert(tx: Tx, account: NewAccount): Promise<Account> {
    const row = await tx.account.create({
      data: {
        id: account.id,
        name: account.name,
        kind: account.kind,
        parentId: account.parentId,
        orgRootId: account.orgRootId,
        path: account.path,
        depth: account.depth,
      },
    });
    return toAccount(row);
  }

  private async page(where: Prisma.AccountWhereInput, page: PageRequest): Promise<CountedPage<Account>> {
    const [rows, total] = await Promise.all([
      this.prisma.account.findMany({
        where: page.after === null ? where : { AND: [where, { id: { gt: page.after } }] },
        orderBy: { id: 'asc' },
        take: page.limit + 1,
      }),
      this.prisma.account.count({ where }),
    ]);
    return pageOf(rows.map(toAccount), page.limit, (account) => account.id, total);
  }
}
