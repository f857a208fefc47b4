import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { canWrite, readScope, type Principal, type Viewer } from '@flexgalaxy/auth';
import type { Tx } from '@flexgalaxy/db';
import { OutboxWriter } from '@flexgalaxy/events';
import type { CountedPage, PageRequest } from '@flexgalaxy/service-kit';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { AccountDirectory } from './account-directory.js';
import { AccountNotFoundError, AccountReadOnlyError } from './accounts.errors.js';
import { AccountsRepository } from './accounts.repository.js';
import type { Account, AccountKind, NewAccount } from './domain/account.js';
import { planChildAccount, planTopLevelAccount } from './domain/account-hierarchy.js';

/** An account as one viewer sees it: read-only when seen from an ancestor. */
export interface VisibleAccount extends Account {
  readOnly: boolean;
}

export interface AccountInput {
  name: string;
  kind: AccountKind;
}

@Injectable()
export class AccountsService {
  constructor(
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(AccountDirectory) private readonly directory: AccountDirectory,
    @Inject(TransactionRunner) private readonly transactions: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  /** Top-level developer, maker or standalone end-user account (the route admits platform admins only). */
  async createTopLevel(principal: Principal, input: AccountInput): Promise<VisibleAccount> {
    const account = await this.record(planTopLevelAccount({ id: randomUUID(), ...input }));
    return this.asSeenBy(await this.directory.viewerOf(principal), account);
  }

  /** A member under a maker, or an end user under a member, created by that parent (or an admin). */
  async createChild(principal: Principal, parentId: string, input: AccountInput): Promise<VisibleAccount> {
    const viewer = await this.directory.viewerOf(principal);
    const parent = await this.requireVisible(viewer, parentId);
    // seed 000 §5: downward visibility is read-only; Japan's parent cannot create Japan's customers.
    if (!canWrite(viewer, parent.id)) throw new AccountReadOnlyError(parent.id);
    const account = await this.record(planChildAccount(parent, { id: randomUUID(), ...input }));
    return this.asSeenBy(viewer, account);
  }

  async get(principal: Principal, accountId: string): Promise<VisibleAccount> {
    const viewer = await this.directory.viewerOf(principal);
    return this.asSeenBy(viewer, await this.requireVisible(viewer, accountId));
  }

  /** The caller's own account and its descendants (every account, for a platform admin). */
  async list(principal: Principal, page: PageRequest): Promise<CountedPage<VisibleAccount>> {
    const viewer = await this.directory.viewerOf(principal);
    return this.pageAsSeenBy(viewer, await this.accounts.listVisible(readScope(viewer), page));
  }

  async listChildren(principal: Principal, parentId: string, page: PageRequest): Promise<CountedPage<VisibleAccount>> {
    const viewer = await this.directory.viewerOf(principal);
    await this.requireVisible(viewer, parentId);
    return this.pageAsSeenBy(viewer, await this.accounts.listVisibleChildren(readScope(viewer), parentId, page));
  }

  private record(planned: NewAccount): Promise<Account> {
    return this.transactions.run(async (tx: Tx) => {
      const account = await this.accounts.insert(tx, planned);
      await this.outbox.append(
        tx,
        'org.account.created',
        {
          accountId: account.id,
          name: account.name,
          kind: account.kind,
          parentAccountId: account.parentId,
          orgRootAccountId: account.orgRootId,
          path: account.path,
        },
        { accountId: account.id },
      );
      return account;
    });
  }

  private async requireVisible(viewer: Viewer, accountId: string): Promise<Account> {
    const account = await this.directory.findVisible(viewer, accountId);
    if (!account) throw new AccountNotFoundError(accountId);
    return account;
  }

  private asSeenBy(viewer: Viewer, account: Account): VisibleAccount {
    return { ...account, readOnly: !canWrite(viewer, account.id) };
  }

  private pageAsSeenBy(viewer: Viewer, page: CountedPage<Account>): CountedPage<VisibleAccount> {
    return { ...page, items: page.items.map((account) => this.asSeenBy(viewer, account)) };
  }
}
