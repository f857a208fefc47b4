import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { OutboxWriter } from '@flexgalaxy/events';
import type { CreatedAction } from '../domain/action.js';
import { MatchingRepository } from '../matching.repository.js';
import { PoliciesRepository } from '../policies.repository.js';
import { announceCreated } from './announce-actions.js';

/**
 * The bulk tier: a policy (new, changed, or newly entitled by a marketplace grant) is matched
 * against the targets already there with one INSERT … SELECT, and the created actions are
 * announced in one outbox statement.
 */
@Injectable()
export class MatchPolicyUseCase {
  constructor(
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async execute(tx: Tx, policyId: string, onlyAccountId: string | null = null): Promise<CreatedAction[]> {
    const policy = await this.policies.matchingPolicy(tx, policyId);
    if (!policy) return [];
    const created = await this.matching.insertMatching(tx, policy, onlyAccountId);
    await announceCreated(this.outbox, tx, created);
    return created;
  }

  /** Re-matches every active policy of a listing (a "Get" just happened). */
  async executeForListing(tx: Tx, listingId: string): Promise<number> {
    let created = 0;
    for (const policy of await this.policies.activeForMatching(tx, listingId)) {
      created += (await this.execute(tx, policy.id)).length;
    }
    return created;
  }

  /** Re-matches an account's targets against grant-dependent policies (its org placement arrived). */
  async executeForAccount(tx: Tx, accountId: string): Promise<number> {
    let created = 0;
    for (const policy of await this.policies.activeWithListing(tx)) {
      created += (await this.execute(tx, policy.id, accountId)).length;
    }
    return created;
  }
}
