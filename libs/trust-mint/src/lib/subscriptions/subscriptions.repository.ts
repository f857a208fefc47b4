import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { TRUST_MINT_ROLES, type TrustMintRole } from './domain/roles.js';
import type { Subscription } from './domain/subscription.js';

type SubscriptionRow = Prisma.TrustMintSubscriptionGetPayload<object>;

const isRole = (role: string): role is TrustMintRole => (TRUST_MINT_ROLES as readonly string[]).includes(role);

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    accountId: row.accountId,
    roles: row.roles.filter(isRole),
    permissions: row.permissions,
    overridden: row.overridden,
    rolesVersion: row.rolesVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The only door to `trust_mint.subscriptions`: keyed by account, so every read is scoped. */
@Injectable()
export class SubscriptionsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async findOf(accountId: string): Promise<Subscription | null> {
    const row = await this.prisma.trustMintSubscription.findUnique({ where: { accountId } });
    return row ? toSubscription(row) : null;
  }

  /**
   * Declares roles in the caller's transaction; the boundary follows them unless it was overridden
   * by hand. Every declaration counts one more `rolesVersion`. The row is locked first, so two
   * concurrent declarations of one account get distinct versions in commit order.
   */
  async declareRoles(tx: Tx, accountId: string, roles: TrustMintRole[], boundary: string[]): Promise<Subscription> {
    await tx.$executeRaw`SELECT 1 FROM "trust_mint"."subscriptions" WHERE "account_id" = ${accountId} FOR UPDATE`;
    const existing = await tx.trustMintSubscription.findUnique({ where: { accountId } });
    const row = existing
      ? await tx.trustMintSubscription.update({
          where: { accountId },
          data: {
            roles,
            rolesVersion: { increment: 1 },
            ...(existing.overridden ? {} : { permissions: boundary }),
          },
        })
      : await tx.trustMintSubscription.create({ data: { accountId, roles, permissions: boundary, rolesVersion: 1 } });
    return toSubscription(row);
  }

  /** A platform admin's boundary for an account that exists; null when it never subscribed. */
  async overrideBoundary(
    accountId: string,
    permissions: string[] | null,
    derived: (roles: TrustMintRole[]) => string[],
  ) {
    const row = await this.prisma.$transaction(async (tx) => {
      const existing = await tx.trustMintSubscription.findUnique({ where: { accountId } });
      if (!existing) return null;
      const roles = existing.roles.filter(isRole);
      return tx.trustMintSubscription.update({
        where: { accountId },
        data:
          permissions === null ? { permissions: derived(roles), overridden: false } : { permissions, overridden: true },
      });
    });
    return row ? toSubscription(row) : null;
  }
}
