import { Inject, Injectable } from '@nestjs/common';
import { PermissionDeniedError, type Principal } from '@flexgalaxy/auth';
import { SUBSCRIBE_PERMISSION } from '../core/trust-mint.permissions.js';
import { boundaryOf, type TrustMintRole } from './domain/roles.js';
import type { Subscription } from './domain/subscription.js';
import { SubscriptionNotFoundError } from './subscriptions.errors.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

/** seed 001 "Permission Boundary Model": subscribing declares roles; boundaries follow automatically. */
@Injectable()
export class SubscriptionsService {
  constructor(@Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository) {}

  /** The caller's account subscribes (or changes its roles); platform admins may name any account. */
  async declare(principal: Principal, roles: TrustMintRole[], accountId?: string): Promise<Subscription> {
    if (!principal.isPlatformAdmin && !principal.permissions.has(SUBSCRIBE_PERMISSION)) {
      throw new PermissionDeniedError(SUBSCRIBE_PERMISSION);
    }
    const target = principal.isPlatformAdmin && accountId ? accountId : principal.accountId;
    return this.subscriptions.declareRoles(target, [...new Set(roles)].sort() as TrustMintRole[], boundaryOf(roles));
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
