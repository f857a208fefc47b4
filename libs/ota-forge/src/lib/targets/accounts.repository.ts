import { Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';

export interface AccountPlacement {
  accountId: string;
  parentId: string | null;
  orgRootId: string;
  path: string | null;
}

/** The accounts projection (org.account.created): which org each account belongs to. */
@Injectable()
export class AccountsRepository {
  async record(tx: Tx, account: AccountPlacement): Promise<void> {
    await tx.otaAccount.upsert({
      where: { id: account.accountId },
      create: { id: account.accountId, parentId: account.parentId, orgRootId: account.orgRootId, path: account.path },
      update: { parentId: account.parentId, orgRootId: account.orgRootId, path: account.path },
    });
  }
}
