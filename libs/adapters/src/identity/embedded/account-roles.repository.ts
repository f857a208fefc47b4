import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';
import { z } from 'zod';
import type { AccountRole, AccountRolesDeclaration } from '../identity-provider.port.js';

const storedRolesSchema = z.array(z.object({ name: z.string(), permissions: z.array(z.string()) }));

function parseRoles(value: unknown): AccountRole[] {
  // Written only by replaceUnlessNewer; a row that does not parse carries no roles rather than failing every token.
  const parsed = storedRolesSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/**
 * `identity.account_roles`: the role set of each account, read by the token endpoint. Keyed by
 * account: a client's roles follow its `account_id`, so clients created later or moved to the
 * account by updateClient carry them with nothing else to maintain.
 */
@Injectable()
export class AccountRolesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * Stores the declaration unless the stored one is newer, in one statement (no read-then-write
   * race between two deliveries). The same version is written again: a harmless no-op.
   * @returns false when a newer declaration is stored.
   */
  async replaceUnlessNewer(declaration: AccountRolesDeclaration, tx?: Tx): Promise<boolean> {
    const db = tx ?? this.prisma;
    const roles = JSON.stringify(declaration.roles);
    const written = await db.$executeRaw`
      INSERT INTO "identity"."account_roles" ("account_id", "roles", "version", "updated_at")
      VALUES (${declaration.accountId}, ${roles}::jsonb, ${declaration.version}, CURRENT_TIMESTAMP)
      ON CONFLICT ("account_id") DO UPDATE
        SET "roles" = EXCLUDED."roles", "version" = EXCLUDED."version", "updated_at" = EXCLUDED."updated_at"
        WHERE "account_roles"."version" <= EXCLUDED."version"`;
    return written > 0;
  }

  async findOf(accountId: string): Promise<AccountRolesDeclaration | null> {
    const row = await this.prisma.identityAccountRoles.findUnique({ where: { accountId } });
    return row ? { accountId: row.accountId, roles: parseRoles(row.roles), version: row.version } : null;
  }

  /** The names the `roles` claim carries for the account's clients, sorted; empty when none. */
  async roleNamesOf(accountId: string): Promise<string[]> {
    const row = await this.prisma.identityAccountRoles.findUnique({ where: { accountId }, select: { roles: true } });
    return row ? parseRoles(row.roles).map((role) => role.name) : [];
  }
}
