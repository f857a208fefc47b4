import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { AccountRolesService } from '../account-roles.service.js';

/** An account's TrustMint roles become its clients' `roles` claim at the identity provider. */
@Injectable()
@OnEvents({ name: 'org.identity-roles', events: ['trust_mint.roles.declared'] })
export class ApplyIdentityRolesOnRolesDeclaredHandler implements EventConsumer<'trust_mint.roles.declared'> {
  constructor(@Inject(AccountRolesService) private readonly accountRoles: AccountRolesService) {}

  async handle(event: PlatformEvent<'trust_mint.roles.declared'>, tx: Tx): Promise<void> {
    await this.accountRoles.applyTrustMintRoles(tx, event.payload);
  }
}
