import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { MatchPolicyUseCase } from '../../rollouts/use-cases/match-policy.use-case.js';
import { AccountsRepository } from '../accounts.repository.js';
import { TargetsRepository } from '../targets.repository.js';

/**
 * The accounts projection: org-wide "Get"s need each target's org root. Targets recorded before
 * their owner's account was known get it now, and are matched again against grant-dependent
 * policies (an org-wide grant may cover them).
 */
@Injectable()
@OnEvents({ name: 'ota-forge.accounts', events: ['org.account.created'] })
export class PlaceTargetsOnAccountCreatedHandler implements EventConsumer<'org.account.created'> {
  constructor(
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(TargetsRepository) private readonly targets: TargetsRepository,
    @Inject(MatchPolicyUseCase) private readonly matchPolicy: MatchPolicyUseCase,
  ) {}

  async handle(event: PlatformEvent<'org.account.created'>, tx: Tx): Promise<void> {
    const account = event.payload;
    await this.accounts.record(tx, {
      accountId: account.accountId,
      parentId: account.parentAccountId,
      orgRootId: account.orgRootAccountId,
      path: account.path ?? null,
    });
    const placed = await this.targets.placeTargetsOf(tx, account.accountId, account.orgRootAccountId);
    if (placed > 0) await this.matchPolicy.executeForAccount(tx, account.accountId);
  }
}
