import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { ActivePolicySetCache } from '../active-policy-set.cache.js';
import type { CreatedAction } from '../domain/action.js';
import { isEntitled } from '../domain/entitlement.js';
import { MatchingRepository } from '../matching.repository.js';

/**
 * The one-target tier (seed 000 §1 "Auto-OTA on Enrollment"): a new or changed target is checked
 * against every active policy with the in-memory predicate, then against its entitlement, and
 * gets the actions of the policies it matches, announced, in one statement. Policies authored
 * before the device existed match it here.
 */
@Injectable()
export class MatchTargetUseCase {
  constructor(
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(ActivePolicySetCache) private readonly activePolicies: ActivePolicySetCache,
  ) {}

  async execute(tx: Tx, controllerId: string): Promise<CreatedAction[]> {
    const target = await this.matching.loadTarget(tx, controllerId);
    if (!target) return [];
    const candidates = (await this.activePolicies.current(tx)).matching(target.attributes, target.software);
    const { ownership } = target;
    const listings = [...new Set(candidates.flatMap((policy) => (policy.listingId ? [policy.listingId] : [])))];
    const grants = await this.matching.grantsFor(
      tx,
      listings,
      [ownership.accountId, ownership.makerAccountId],
      [ownership.orgRootId, ownership.makerOrgRootId].filter((id): id is string => id !== null),
    );
    const entitled = candidates.filter((policy) =>
      isEntitled(
        {
          policyOwnerAccountId: policy.ownerAccountId,
          listingId: policy.listingId,
          category: policy.category,
          version: policy.softwareVersion,
        },
        ownership,
        grants,
      ),
    );
    return this.matching.insertAndAnnounceForTarget(tx, { controllerId, accountId: ownership.accountId }, entitled);
  }
}
