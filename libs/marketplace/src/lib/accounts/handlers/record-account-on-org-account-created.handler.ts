import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { MarketplaceAccountsRepository } from '../accounts.repository.js';

/** Learns each account's kind and org root (accounts are never re-parented, so the first word stands). */
@Injectable()
@OnEvents({ name: 'marketplace.accounts', events: ['org.account.created'] })
export class RecordAccountOnOrgAccountCreatedHandler implements EventConsumer<'org.account.created'> {
  constructor(@Inject(MarketplaceAccountsRepository) private readonly accounts: MarketplaceAccountsRepository) {}

  async handle(event: PlatformEvent<'org.account.created'>, tx: Tx): Promise<void> {
    const { payload } = event;
    await this.accounts.record(tx, {
      id: payload.accountId,
      kind: payload.kind,
      parentId: payload.parentAccountId,
      orgRootId: payload.orgRootAccountId,
    });
  }
}
