import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@flexgalaxy/db';

export interface StoredSigningKey {
  purpose: string;
  kid: string;
  privateKeyPem: string;
  publicKeyPem: string;
  certificatePem: string | null;
}

/** The only door to `trust_mint.signing_keys`. */
@Injectable()
export class SigningKeysRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async find(purpose: string): Promise<StoredSigningKey | null> {
    const row = await this.prisma.trustMintSigningKey.findUnique({ where: { purpose } });
    return row
      ? {
          purpose: row.purpose,
          kid: row.kid,
          privateKeyPem: row.privateKeyPem,
          publicKeyPem: row.publicKeyPem,
          certificatePem: row.certificatePem,
        }
      : null;
  }

  /**
   * Stores a freshly generated key unless another process stored one for the same purpose first
   * (two instances starting together); returns whichever won, so all instances sign alike.
   */
  async storeFirst(key: StoredSigningKey): Promise<StoredSigningKey> {
    await this.prisma.trustMintSigningKey.createMany({ data: [key], skipDuplicates: true });
    const stored = await this.find(key.purpose);
    if (!stored) throw new Error(`signing key ${key.purpose} vanished after it was stored`);
    return stored;
  }
}
