import { Inject, Injectable } from '@nestjs/common';
import { PermissionDeniedError, type Principal } from '@flexgalaxy/auth';
import { OutboxWriter } from '@flexgalaxy/events';
import { TrustMintTransactions } from '../core/transaction-runner.js';
import { SUBSCRIBE_PERMISSION } from '../core/trust-mint.permissions.js';
import { boundaryOf, ROLE_BOUNDARIES, type TrustMintRole } from './domain/roles.js';
import type { Subscription } from './domain/subscription.js';
import { SubscriptionNotFoundError } from './subscriptions.errors.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

/** seed 001 "Permission Boundary Model": subscribing declares roles; boundaries follow automatically. */
@Injectable()
export class SubscriptionsService {
  constructor(
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(TrustMintTransactions) private readonly transactions: TrustMintTransactions,
  ) {}

  /**
   * The caller's account subscribes (or changes its roles); platform admins may name any account.
   * The identity provider learns the role set from trust_mint.roles.declared, written in the same
   * transaction: TrustMint never calls the identity provider itself (it lives in the org service).
   */
  async declare(principal: Principal, roles: TrustMintRole[], accountId?: string): Promise<Subscription> {
    if (!principal.isPlatformAdmin && !principal.permissions.has(SUBSCRIBE_PERMISSION)) {
      throw new PermissionDeniedError(SUBSCRIBE_PERMISSION);
    }
    const target = principal.isPlatformAdmin && accountId ? accountId : principal.accountId;
    const declared = [...new Set(roles)].sort() as TrustMintRole[];
    return this.transactions.run(async (tx) => {
      const subscription = await this.subscriptions.declareRoles(tx, target, declared, boundaryOf(declared));
      await this.outbox.append(
        tx,
        'trust_mint.roles.declared',
        {
          accountId: target,
          version: subscription.rolesVersion,
          // The roles' own boundaries, not the account's (possibly overridden) one: a role means
          // the same permissions for every account that holds it.
          roles: subscription.roles.map((role) => ({ name: role, permissions: [...ROLE_BOUNDARIES[role]].sort() })),
        },
        { accountId: target },
      );
      return subscription;
    });
  }

  async mine(principal: Principal): Promise<Subscription> {
    return this.of(principal.accountId);
  }

  async of(accountId: string): Promise<Subscription> {
    const subscription = await this.subscriptions.findOf(accountId);
    if (!subscription) throw new SubscriptionNotFoundError(accountId);
    return subscription;
  }

  /** A platform admin's manual boundary for an edge case; null restores the roles' boundary. */
  async override(accountId: string, permissions: string[] | null): Promise<Subscription> {
    const updated = await this.subscriptions.overrideBoundary(
      accountId,
      permissions === null ? null : [...new Set(permissions)].sort(),
      boundaryOf,
    );
    if (!updated) throw new SubscriptionNotFoundError(accountId);
    return updated;
  }
}
