import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';

export interface KnownAccount {
  id: string;
  kind: string;
  parentId: string | null;
  orgRootId: string;
  path: string | null;
}

/** The only door to `provisioning.accounts`, the projection of org.account.created. */
@Injectable()
export class AccountsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Idempotent: a replayed event rewrites the same row (accounts are never re-parented). */
  async record(tx: Tx, account: KnownAccount): Promise<void> {
    await tx.provisioningAccount.upsert({
      where: { id: account.id },
      create: { ...account },
      update: { kind: account.kind, parentId: account.parentId, orgRootId: account.orgRootId, path: account.path },
    });
  }

  async find(accountId: string): Promise<KnownAccount | null> {
    const row = await this.prisma.provisioningAccount.findUnique({ where: { id: accountId } });
    return row
      ? { id: row.id, kind: row.kind, parentId: row.parentId, orgRootId: row.orgRootId, path: row.path }
      : null;
  }

  /** Fills in the owner path of devices placed before their account was known here. */
  async placeDevicesOf(tx: Tx, accountId: string, path: string): Promise<void> {
    await tx.provisioningDevice.updateMany({ where: { accountId, ownerPath: null }, data: { ownerPath: path } });
  }
}
