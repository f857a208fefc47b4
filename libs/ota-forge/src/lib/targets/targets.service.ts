import { Inject, Injectable } from '@nestjs/common';
import { MatchingRepository } from '../rollouts/matching.repository.js';
import { MatchTargetUseCase } from '../rollouts/use-cases/match-target.use-case.js';
import { hashTargetToken } from '../shared/token-hash.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import type { Target, TargetAttributes } from './domain/target.js';
import { TargetNotFoundError } from './targets.errors.js';
import { TargetsRepository } from './targets.repository.js';

/**
 * The targets API (hawkBit's Management API target model), called by provisioning with a
 * platform-admin token. A created or changed target is matched against the active policies in
 * the same transaction; a target that changed hands loses the actions it is no longer entitled to.
 */
@Injectable()
export class TargetsService {
  constructor(
    @Inject(TransactionRunner) private readonly transactions: TransactionRunner,
    @Inject(TargetsRepository) private readonly targets: TargetsRepository,
    @Inject(MatchingRepository) private readonly matching: MatchingRepository,
    @Inject(MatchTargetUseCase) private readonly matchTarget: MatchTargetUseCase,
  ) {}

  async put(
    controllerId: string,
    input: { accountId: string; name: string; securityToken: string; attributes: TargetAttributes },
  ): Promise<{ target: Target; created: boolean }> {
    return this.transactions.run(async (tx) => {
      const before = await this.targets.find(controllerId, tx);
      const result = await this.targets.upsert(tx, controllerId, {
        accountId: input.accountId,
        name: input.name,
        tokenHash: hashTargetToken(input.securityToken),
        attributes: input.attributes,
      });
      if (before && before.accountId !== input.accountId) {
        await this.matching.withdrawUnentitled(tx, { targetId: controllerId });
      }
      await this.matchTarget.execute(tx, controllerId);
      return result;
    });
  }

  async patch(
    controllerId: string,
    patch: { accountId?: string; securityToken?: string; attributes?: Partial<TargetAttributes>; enabled?: boolean },
  ): Promise<Target> {
    return this.transactions.run(async (tx) => {
      const before = await this.targets.find(controllerId, tx);
      const target = await this.targets.patch(tx, controllerId, {
        ...(patch.accountId !== undefined ? { accountId: patch.accountId } : {}),
        ...(patch.securityToken !== undefined ? { tokenHash: hashTargetToken(patch.securityToken) } : {}),
        ...(patch.attributes !== undefined ? { attributes: patch.attributes } : {}),
        ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      });
      if (!target) throw new TargetNotFoundError(controllerId);
      if (before && before.accountId !== target.accountId) {
        await this.matching.withdrawUnentitled(tx, { targetId: controllerId });
      }
      if (patch.accountId !== undefined || patch.attributes !== undefined) {
        await this.matchTarget.execute(tx, controllerId);
      }
      return target;
    });
  }

  async delete(controllerId: string): Promise<void> {
    const deleted = await this.transactions.run((tx) => this.targets.delete(tx, controllerId));
    if (!deleted) throw new TargetNotFoundError(controllerId);
  }

  async get(controllerId: string): Promise<Target> {
    const target = await this.targets.find(controllerId);
    if (!target) throw new TargetNotFoundError(controllerId);
    return target;
  }
}
