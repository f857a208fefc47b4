import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { OTA_FORGE_CONFIG, type OtaForgeConfig } from '../../ota-forge.config.js';
import type { MatchingPolicy } from '../domain/policy.js';
import { MatchingRepository } from '../matching.repository.js';
import { PoliciesRepository, type BulkMatchState } from '../policies.repository.js';

interface MatchedChunkState {
  created: number;
  state: BulkMatchState;
}

/**
 * The bulk tier: a policy (new, changed, or newly entitled by a marketplace grant) is matched
 * against the targets already there, its actions created and announced, one statement per chunk
 * of OTA_BULK_MATCH_CHUNK targets. The first chunk goes in the caller's transaction (a fleet that
 * fits in it is matched before the write answers); the rest, one transaction each, by
 * {@link BulkMatchWorker} from the progress recorded on the policy.
 */
@Injectable()
export class MatchPolicyUseCase {
  constructor(
    @Inject(OTA_FORGE_CONFIG) private readonly config: OtaForgeConfig,
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
  ) {}

  /**
   * Starts (or restarts) the policy's bulk match with its first chunk.
   * @param onlyAccountId only that owner's targets, all at once (its org placement just became known)
   * @returns how many actions this transaction created
   */
  async execute(tx: Tx, policyId: string, onlyAccountId: string | null = null): Promise<number> {
    const policy = await this.policies.matchingPolicy(tx, policyId);
    if (!policy) return 0;
    if (onlyAccountId !== null) return (await this.matching.insertMatching(tx, policy, { onlyAccountId })).created;
    const candidates = await this.matching.countCandidates(tx, policy);
    return (await this.matchChunk(tx, policy, { after: null, done: 0, candidates })).created;
  }

  /**
   * The next chunk of one policy whose bulk match has chunks left (row-locked, so no two run it).
   * @returns the policy, the actions created and where its match stands now; null: none pending
   */
  async continuePending(tx: Tx): Promise<({ policyId: string } & MatchedChunkState) | null> {
    const claimed = await this.policies.claimPendingBulkMatch(tx);
    const policy = claimed ? await this.policies.matchingPolicy(tx, claimed.id) : null;
    if (!claimed || !policy) return null;
    return { policyId: policy.id, ...(await this.matchChunk(tx, policy, claimed.state)) };
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

  private async matchChunk(tx: Tx, policy: MatchingPolicy, from: BulkMatchState): Promise<MatchedChunkState> {
    const limit = this.config.OTA_BULK_MATCH_CHUNK;
    const chunk = await this.matching.insertMatching(tx, policy, {
      after: from.after,
      limit,
      rankOffset: from.done,
      candidates: from.candidates,
    });
    const done = from.done + chunk.selected;
    // A short chunk was the last; a full one may have been too, the next (empty) one says so.
    const state: BulkMatchState = {
      after: chunk.selected === limit ? chunk.last : null,
      done,
      candidates: Math.max(from.candidates, done),
    };
    await this.policies.recordBulkMatch(tx, policy.id, state);
    return { created: chunk.created, state };
  }
}
