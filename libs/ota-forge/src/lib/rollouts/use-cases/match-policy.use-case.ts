import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { MatchingRepository } from '../matching.repository.js';
import { PoliciesRepository } from '../policies.repository.js';

/**
 * The bulk tier: a policy (new, changed, or newly entitled by a marketplace grant) is matched
 * against the targets already there, its actions created and announced, in one statement.
 */
@Injectable()
export class MatchPolicyUseCase {
  constructor(
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
  ) {}

  /** @returns how many actions the policy gained */
  async execute(tx: Tx, policyId: string, onlyAccountId: string | null = null): Promise<number> {
    const policy = await this.policies.matchingPolicy(tx, policyId);
    if (!policy) return 0;
    return this.matching.insertMatching(tx, policy, onlyAccountId);
  }

  /** Re-matches every active policy of a listing (a "Get" just happened). */
  async executeForListing(tx: Tx, listingId: string): Promise<number> {
    let created = 0;
    for (const policy of await this.policies.activeForMatching(tx, listingId)) {
      created += await this.execute(tx, policy.id);
    }
    return created;
  }

  /** Re-matches an account's targets against grant-dependent policies (its org placement arrived). */
  async executeForAccount(tx: Tx, accountId: string): Promise<number> {
    let created = 0;
    for (const policy of await this.policies.activeWithListing(tx)) {
      created += await this.execute(tx, policy.id, accountId);
    }
    return created;
  }
}
