import { Inject, Injectable } from '@nestjs/common';
import type { Principal, Viewer } from '@flexgalaxy/auth';
import { AccountsRepository, type KnownAccount } from './accounts.repository.js';

/**
 * Places callers and accounts in the org hierarchy from the projection, never from the token, so a
 * token cannot claim a wider subtree.
 */
@Injectable()
export class AccountDirectory {
  constructor(@Inject(AccountsRepository) private readonly accounts: AccountsRepository) {}

  async viewerOf(principal: Principal): Promise<Viewer> {
    const path = principal.isPlatformAdmin ? null : ((await this.accounts.find(principal.accountId))?.path ?? null);
    return { accountId: principal.accountId, path, isPlatformAdmin: principal.isPlatformAdmin };
  }

  find(accountId: string): Promise<KnownAccount | null> {
    return this.accounts.find(accountId);
  }
}
