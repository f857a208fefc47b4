import type { JsonWebKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, PrismaService, type Prisma } from '@flexgalaxy/db';

export interface StoredSigningKey {
  kid: string;
  algorithm: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
  active: boolean;
  createdAt: Date;
}

export interface NewSigningKey {
  kid: string;
  algorithm: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
}

function toStored(row: {
  kid: string;
  algorithm: string;
  privateJwk: Prisma.JsonValue;
  publicJwk: Prisma.JsonValue;
  active: boolean;
  createdAt: Date;
}): StoredSigningKey {
  return { ...row, privateJwk: row.privateJwk as JsonWebKey, publicJwk: row.publicJwk as JsonWebKey };
}

function toJson(jwk: JsonWebKey): Prisma.InputJsonValue {
  return jwk as Prisma.InputJsonValue;
}

/** The embedded issuer's signing keys in `identity.signing_keys` (platform-wide, no tenant). */
@Injectable()
export class SigningKeysRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async findActive(): Promise<StoredSigningKey | null> {
    const row = await this.prisma.identitySigningKey.findFirst({ where: { active: true } });
    return row ? toStored(row) : null;
  }

  /** Every key that may still have signed a live token: active or rotated out, not retired. */
  async listPublished(): Promise<StoredSigningKey[]> {
    const rows = await this.prisma.identitySigningKey.findMany({
      where: { retiredAt: null },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(toStored);
  }

  /**
   * Stores the first active key. @returns false when another process stored one first (the
   * partial unique index admits a single active key).
   */
  async insertFirstActive(key: NewSigningKey): Promise<boolean> {
    try {
      await this.prisma.identitySigningKey.create({
        data: { ...key, privateJwk: toJson(key.privateJwk), publicJwk: toJson(key.publicJwk), active: true },
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Makes `key` the active key; the previous one stays published until it is retired. */
  async activate(key: NewSigningKey): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.identitySigningKey.updateMany({ where: { active: true }, data: { active: false } });
      await tx.identitySigningKey.create({
        data: { ...key, privateJwk: toJson(key.privateJwk), publicJwk: toJson(key.publicJwk), active: true },
      });
    });
  }

  /** Stops publishing an inactive key: tokens it signed no longer verify. */
  async retire(kid: string): Promise<boolean> {
    const { count } = await this.prisma.identitySigningKey.updateMany({
      where: { kid, active: false, retiredAt: null },
      data: { retiredAt: new Date() },
    });
    return count > 0;
  }
}
