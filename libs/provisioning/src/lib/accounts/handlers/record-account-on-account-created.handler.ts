import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { AccountsRepository } from '../accounts.repository.js';

/** Keeps provisioning's accounts projection (transfer targets, tenant context) in step with org. */
@Injectable()
@OnEvents({ name: 'provisioning.accounts', events: ['org.account.created'] })
export class RecordAccountOnAccountCreatedHandler implements EventConsumer<'org.account.created'> {
  constructor(@Inject(AccountsRepository) private readonly accounts: AccountsRepository) {}

  async handle(event: PlatformEvent<'org.account.created'>, tx: Tx): Promise<void> {
    const { payload } = event;
    const path = payload.path ?? null;
    await this.accounts.record(tx, {
      id: payload.accountId,
      kind: payload.kind,
      parentId: payload.parentAccountId,
      orgRootId: payload.orgRootAccountId,
      path,
    });
    if (path) await this.accounts.placeDevicesOf(tx, payload.accountId, path);
  }
}
