import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { EntitlementsRepository } from '../entitlements.repository.js';
import { MatchingRepository } from '../matching.repository.js';
import { MatchPolicyUseCase } from '../use-cases/match-policy.use-case.js';

type GrantEventType = 'marketplace.grant.created' | 'marketplace.grant.revoked';

/**
 * seed 000 §3: a "Get" unlocks a developer's policies on the grantee's devices (they are matched
 * again, now entitled); a revocation withdraws the open actions it no longer covers. One consumer
 * for both, so a revocation never overtakes its grant.
 */
@Injectable()
@OnEvents({ name: 'ota-forge.marketplace-grants', events: ['marketplace.grant.created', 'marketplace.grant.revoked'] })
export class ApplyGrantsOnMarketplaceGrantEventsHandler implements EventConsumer<GrantEventType> {
  constructor(
    @Inject(EntitlementsRepository) private readonly entitlements: EntitlementsRepository,
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(MatchPolicyUseCase) private readonly matchPolicy: MatchPolicyUseCase,
  ) {}

  async handle(event: PlatformEvent<GrantEventType>, tx: Tx): Promise<void> {
    if (event.type === 'marketplace.grant.created') {
      const grant = (event as PlatformEvent<'marketplace.grant.created'>).payload;
      await this.entitlements.recordGrant(tx, {
        grantId: grant.grantId,
        listingId: grant.listingId,
        granteeAccountId: grant.granteeAccountId,
        scope: grant.scope,
        orgRootAccountId: grant.orgRootAccountId,
        versionScoping: grant.versionScoping,
        grantedVersion: grant.grantedVersion,
      });
      await this.matchPolicy.executeForListing(tx, grant.listingId);
      return;
    }
    const revoked = (event as PlatformEvent<'marketplace.grant.revoked'>).payload;
    await this.entitlements.revokeGrant(tx, revoked.grantId, revoked.listingId, new Date(event.occurredAt));
    await this.matching.withdrawUnentitled(tx, { listingId: revoked.listingId });
  }
}
