import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import { DistributionSetNotFoundError } from '../catalog/catalog.errors.js';
import { CatalogRepository } from '../catalog/catalog.repository.js';
import type { Policy, PolicyChanges } from '../rollouts/domain/policy.js';
import { assertValidExpression } from '../rollouts/domain/target-expression.js';
import { EntitlementsRepository } from '../rollouts/entitlements.repository.js';
import { MatchingRepository } from '../rollouts/matching.repository.js';
import { PoliciesRepository, type PolicyScope } from '../rollouts/policies.repository.js';
import { MatchPolicyUseCase } from '../rollouts/use-cases/match-policy.use-case.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import type { CreatePolicyBody, PatchPolicyBody } from './policies.dto.js';
import { CategoryMismatchError, ListingNotFoundError, PolicyNotFoundError } from './policies.errors.js';

const scopeOf = (principal: Principal): PolicyScope =>
  principal.isPlatformAdmin ? { kind: 'all' } : { kind: 'own', accountId: principal.accountId };

const constraintsOf = (c: CreatePolicyBody['constraints']) => ({
  minBattery: c.minBattery,
  requireIdle: c.notExecutingTask,
  maintenanceWindow: c.maintenanceWindow,
  maxConcurrent: c.maxConcurrent,
});

/**
 * Rollout policies of a developer account. Creating (or retargeting) a policy matches it against
 * the targets already there (bulk tier: the first chunk in the same transaction, the rest by the
 * bulk matcher); targets enrolled later are matched when they appear (one-target tier).
 */
@Injectable()
export class PoliciesService {
  constructor(
    @Inject(TransactionRunner) private readonly transactions: TransactionRunner,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(EntitlementsRepository) private readonly entitlements: EntitlementsRepository,
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(MatchPolicyUseCase) private readonly matchPolicy: MatchPolicyUseCase,
  ) {}

  async create(principal: Principal, body: CreatePolicyBody): Promise<{ policy: Policy; matched: number }> {
    assertValidExpression(body.targetExpression);
    const category = await this.categoryOf(principal, body.listingId, body.category);
    return this.transactions.run(async (tx) => {
      await this.ownedSet(principal, body.distributionSetId, tx);
      const policy = await this.policies.insert(tx, {
        id: randomUUID(),
        ownerAccountId: principal.accountId,
        name: body.name,
        targetExpression: body.targetExpression,
        distributionSetId: body.distributionSetId,
        listingId: body.listingId,
        category,
        actionType: body.actionType,
        constraints: constraintsOf(body.constraints),
        waves: body.waves,
        retry: body.retry,
      });
      const matched = await this.matchPolicy.execute(tx, policy.id);
      // Read again: the match recorded its progress on the row.
      return { policy: (await this.policies.lock(tx, scopeOf(principal), policy.id)) ?? policy, matched };
    });
  }

  async update(principal: Principal, id: string, body: PatchPolicyBody): Promise<{ policy: Policy; matched: number }> {
    if (body.targetExpression !== undefined) assertValidExpression(body.targetExpression);
    return this.transactions.run(async (tx) => {
      const current = await this.policies.lock(tx, scopeOf(principal), id);
      if (!current) throw new PolicyNotFoundError(id);
      if (body.distributionSetId !== undefined) await this.ownedSet(principal, body.distributionSetId, tx);
      const changes: PolicyChanges = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.targetExpression !== undefined ? { targetExpression: body.targetExpression } : {}),
        ...(body.distributionSetId !== undefined ? { distributionSetId: body.distributionSetId } : {}),
        ...(body.actionType !== undefined ? { actionType: body.actionType } : {}),
        ...(body.constraints !== undefined ? { constraints: constraintsOf(body.constraints) } : {}),
        ...(body.waves !== undefined ? { waves: body.waves } : {}),
        ...(body.retry !== undefined ? { retry: body.retry } : {}),
        ...(body.status !== undefined && current.status !== 'aborted' ? { status: body.status } : {}),
      };
      const policy = await this.policies.update(tx, id, changes);
      if (body.distributionSetId !== undefined && body.distributionSetId !== current.distributionSetId) {
        // A new version supersedes what has not been delivered yet (hawkBit cancels the older assignment).
        await this.matching.cancelUndelivered(tx, id, 'superseded by a newer distribution set', body.distributionSetId);
        if (policy.currentWave !== 0) await this.policies.setCurrentWave(tx, id, 0);
      }
      const rematch =
        policy.status === 'active' &&
        (body.targetExpression !== undefined || body.distributionSetId !== undefined || body.status === 'active');
      const matched = rematch ? await this.matchPolicy.execute(tx, id) : 0;
      return { policy: (await this.policies.lock(tx, scopeOf(principal), id)) ?? policy, matched };
    });
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const current = await this.policies.lock(tx, scopeOf(principal), id);
      if (!current) throw new PolicyNotFoundError(id);
      await this.policies.setStatus(tx, id, 'deleted');
      await this.matching.cancelUndelivered(tx, id, 'policy deleted');
    });
  }

  async get(principal: Principal, id: string): Promise<Policy> {
    const policy = await this.policies.findVisible(scopeOf(principal), id);
    if (!policy) throw new PolicyNotFoundError(id);
    return policy;
  }

  list(principal: Principal): Promise<Policy[]> {
    return this.policies.listVisible(scopeOf(principal));
  }

  private async ownedSet(principal: Principal, id: number, tx: Parameters<CatalogRepository['findSet']>[2]) {
    const set = await this.catalog.findSet({ kind: 'own', accountId: principal.accountId }, id, tx);
    if (!set) throw new DistributionSetNotFoundError(id);
    return set;
  }

  /** The listing's category when the marketplace announced it (and it is the caller's), else the body's. */
  private async categoryOf(
    principal: Principal,
    listingId: string | null,
    requested: 'device_bound' | 'application' | undefined,
  ): Promise<'device_bound' | 'application'> {
    if (listingId === null) return requested ?? 'application';
    const listing = await this.entitlements.findListing(listingId);
    if (!listing) return requested ?? 'application';
    if (listing.developerAccountId !== principal.accountId && !principal.isPlatformAdmin) {
      throw new ListingNotFoundError(listingId);
    }
    if (requested !== undefined && requested !== listing.category) throw new CategoryMismatchError(listing.category);
    return listing.category;
  }
}
