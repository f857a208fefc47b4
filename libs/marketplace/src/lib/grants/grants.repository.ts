import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { pageOf, type Page, type PageRequest } from '@flexgalaxy/service-kit';
import type { Grant } from './domain/grant.js';

type GrantRow = Prisma.MarketplaceGrantGetPayload<object>;

function toGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    listingId: row.listingId,
    granteeAccountId: row.granteeAccountId,
    scope: row.scope,
    orgRootAccountId: row.orgRootAccountId,
    versionScoping: row.versionScoping,
    grantedVersion: row.grantedVersion,
    coverage: row.coverage,
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

/** Who reads a grant: its grantee; members of an org its org-wide grants; platform admins all. */
export type GrantReadScope = { kind: 'all' } | { kind: 'account'; accountId: string; orgRootId: string | null };

function visibleTo(scope: GrantReadScope): Prisma.MarketplaceGrantWhereInput {
  if (scope.kind === 'all') return {};
  return {
    OR: [
      { granteeAccountId: scope.accountId },
      ...(scope.orgRootId ? [{ scope: 'org' as const, orgRootAccountId: scope.orgRootId }] : []),
    ],
  };
}

export type NewGrant = Omit<Grant, 'id' | 'status' | 'createdAt' | 'revokedAt'>;

export interface GrantStats {
  total: number;
  active: number;
  revoked: number;
  byScope: { account: number; org: number };
  granteeAccounts: number;
  trend: { day: string; gets: number }[];
}

/** The only door to `marketplace.grants`. */
@Injectable()
export class GrantsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Creates the grant unless an ACTIVE one already covers the same listing, grantee, scope and
   * versions (the partial unique index decides, so concurrent Gets make one grant).
   */
  async createOnce(tx: Tx, grant: NewGrant): Promise<{ grant: Grant; created: boolean }> {
    const { count } = await tx.marketplaceGrant.createMany({
      data: [{ id: randomUUID(), ...grant }],
      skipDuplicates: true,
    });
    const row = await tx.marketplaceGrant.findFirst({
      where: {
        listingId: grant.listingId,
        granteeAccountId: grant.granteeAccountId,
        scope: grant.scope,
        coverage: grant.coverage,
        status: 'ACTIVE',
      },
    });
    if (!row) throw new Error('grant neither created nor found');
    return { grant: toGrant(row), created: count === 1 };
  }

  async findVisible(scope: GrantReadScope, id: string): Promise<Grant | null> {
    const row = await this.prisma.marketplaceGrant.findFirst({ where: { AND: [visibleTo(scope), { id }] } });
    return row ? toGrant(row) : null;
  }

  async listVisible(
    scope: GrantReadScope,
    filter: { listingId?: string; status?: 'ACTIVE' | 'REVOKED' },
    page: PageRequest,
  ): Promise<Page<Grant>> {
    const rows = await this.prisma.marketplaceGrant.findMany({
      where: {
        AND: [
          visibleTo(scope),
          {
            ...(filter.listingId ? { listingId: filter.listingId } : {}),
            ...(filter.status ? { status: filter.status } : {}),
          },
          ...(page.after ? [{ id: { gt: page.after } }] : []),
        ],
      },
      orderBy: { id: 'asc' },
      take: page.limit + 1,
    });
    return pageOf(rows.map(toGrant), page.limit, (grant) => grant.id);
  }

  /** @returns the grant after the change, or null when it was revoked already. */
  async revoke(tx: Tx, id: string, revokedBy: string): Promise<Grant | null> {
    const { count } = await tx.marketplaceGrant.updateMany({
      where: { id, status: 'ACTIVE' },
      data: { status: 'REVOKED', revokedAt: new Date(), revokedBy },
    });
    if (count === 0) return null;
    return toGrant(await tx.marketplaceGrant.findUniqueOrThrow({ where: { id } }));
  }

  /** "Get" count and adoption of one listing: aggregates only, never who. */
  async statsOf(listingId: string, since: Date): Promise<GrantStats> {
    const [counts] = await this.prisma.$queryRaw<
      { total: bigint; active: bigint; revoked: bigint; account: bigint; org: bigint; grantees: bigint }[]
    >`
      SELECT count(*) AS total,
             count(*) FILTER (WHERE "status" = 'ACTIVE') AS active,
             count(*) FILTER (WHERE "status" = 'REVOKED') AS revoked,
             count(*) FILTER (WHERE "status" = 'ACTIVE' AND "scope" = 'account') AS account,
             count(*) FILTER (WHERE "status" = 'ACTIVE' AND "scope" = 'org') AS org,
             count(DISTINCT "grantee_account_id") FILTER (WHERE "status" = 'ACTIVE') AS grantees
        FROM "marketplace"."grants" WHERE "listing_id" = ${listingId}`;
    const trend = await this.prisma.$queryRaw<{ day: string; gets: bigint }[]>`
      SELECT to_char("created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS gets
        FROM "marketplace"."grants" WHERE "listing_id" = ${listingId} AND "created_at" >= ${since}
       GROUP BY 1 ORDER BY 1`;
    const n = (value: bigint | undefined) => Number(value ?? 0);
    return {
      total: n(counts?.total),
      active: n(counts?.active),
      revoked: n(counts?.revoked),
      byScope: { account: n(counts?.account), org: n(counts?.org) },
      granteeAccounts: n(counts?.grantees),
      trend: trend.map((row) => ({ day: row.day, gets: n(row.gets) })),
    };
  }
}
