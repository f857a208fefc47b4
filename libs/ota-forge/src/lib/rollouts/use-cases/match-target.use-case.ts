import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { OutboxWriter } from '@flexgalaxy/events';
import type { CreatedAction } from '../domain/action.js';
import { isEntitled } from '../domain/entitlement.js';
import { predicateOf } from '../domain/target-expression.js';
import { MatchingRepository, softwareKey } from '../matching.repository.js';
import { PoliciesRepository } from '../policies.repository.js';
import { announceCreated } from './announce-actions.js';

/**
 * The one-target tier (seed 000 §1 "Auto-OTA on Enrollment"): a new or changed target is checked
 * against every active policy with the in-memory predicate, then against its entitlement, and
 * gets the actions of the policies it matches in one insert. Policies authored before the device
 * existed match it here.
 */
@Injectable()
export class MatchTargetUseCase {
  constructor(
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async execute(tx: Tx, controllerId: string): Promise<CreatedAction[]> {
    const target = await this.matching.loadTarget(tx, controllerId);
    if (!target) return [];
    const candidates = (await this.policies.activeForMatching(tx)).filter((policy) =>
      predicateOf(policy.targetExpression)({
        ...target.attributes,
        software_version: target.software.get(softwareKey(policy.ownerAccountId, policy.softwareName)) ?? null,
      }),
    );
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
    const created = await this.matching.insertForTarget(tx, { controllerId, accountId: ownership.accountId }, entitled);
    await announceCreated(this.outbox, tx, created);
    return created;
  }
}
