import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, PrismaService } from '@flexgalaxy/db';
import { IdentityClientConflictError } from '../identity-provider.errors.js';
import type { IdentityClient, IdentityClientUpdate } from '../identity-provider.port.js';

/** A live client with the hash of its secret (never leaves the embedded adapter). */
export interface StoredIdentityClient extends IdentityClient {
  secretHash: string;
}

export interface NewIdentityClientRecord {
  clientId: string;
  secretHash: string;
  accountId: string;
  permissions: string[];
  description: string;
}

const SELECTED = {
  clientId: true,
  secretHash: true,
  accountId: true,
  permissions: true,
  description: true,
  enabled: true,
  createdAt: true,
} as const;

/**
 * The embedded issuer's clients in `identity.clients`. Methods take a client id and no account
 * scope: the port is platform-internal and its callers (AdminCenter service users, provisioning)
 * check that the client belongs to the caller's account before they reach it. Only live rows
 * (deleted_at IS NULL) are ever read or changed.
 */
@Injectable()
export class IdentityClientsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** @throws IdentityClientConflictError when a live client already has this id. */
  async insert(record: NewIdentityClientRecord): Promise<StoredIdentityClient> {
    try {
      return await this.prisma.identityClient.create({ data: record, select: SELECTED });
    } catch (error) {
      if (isUniqueViolation(error)) throw new IdentityClientConflictError(record.clientId);
      throw error;
    }
  }

  findLive(clientId: string): Promise<StoredIdentityClient | null> {
    return this.prisma.identityClient.findFirst({ where: { clientId, deletedAt: null }, select: SELECTED });
  }

  /** @returns the updated client, or null when there is no live client with this id. */
  async updateClaims(clientId: string, update: IdentityClientUpdate): Promise<StoredIdentityClient | null> {
    const { count } = await this.prisma.identityClient.updateMany({
      where: { clientId, deletedAt: null },
      data: {
        ...(update.accountId !== undefined ? { accountId: update.accountId } : {}),
        ...(update.permissions !== undefined ? { permissions: update.permissions } : {}),
        ...(update.enabled !== undefined ? { enabled: update.enabled } : {}),
      },
    });
    return count === 0 ? null : this.findLive(clientId);
  }

  /** @returns false when there is no live client with this id. */
  async replaceSecretHash(clientId: string, secretHash: string): Promise<boolean> {
    const { count } = await this.prisma.identityClient.updateMany({
      where: { clientId, deletedAt: null },
      data: { secretHash, secretRotatedAt: new Date() },
    });
    return count > 0;
  }

  /** Soft delete: the row stays for the audit trail, its credentials stop working. */
  async markDeleted(clientId: string): Promise<boolean> {
    const { count } = await this.prisma.identityClient.updateMany({
      where: { clientId, deletedAt: null },
      data: { deletedAt: new Date() },
    });
    return count > 0;
  }
}
