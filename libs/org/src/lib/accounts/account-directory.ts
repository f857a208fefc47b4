import { Inject, Injectable } from '@nestjs/common';
import { readScope, type Principal, type Viewer } from '@flexgalaxy/auth';
import { AccountsRepository } from './accounts.repository.js';
import type { Account } from './domain/account.js';

/**
 * How the other org features place a caller in the hierarchy. The path always comes from the
 * accounts table, never from the token, so a token cannot claim a wider subtree.
 */
@Injectable()
export class AccountDirectory {
  constructor(@Inject(AccountsRepository) private readonly accounts: AccountsRepository) {}

  async viewerOf(principal: Principal): Promise<Viewer> {
    // Platform admins read everything: no need to place them.
    const path = principal.isPlatformAdmin ? null : await this.accounts.findPathOf(principal.accountId);
    return { accountId: principal.accountId, path, isPlatformAdmin: principal.isPlatformAdmin };
  }

  /** The account if this viewer may read it; null when it is missing or not visible alike. */
  findVisible(viewer: Viewer, accountId: string): Promise<Account | null> {
    return this.accounts.findVisible(readScope(viewer), accountId);
  }
}
