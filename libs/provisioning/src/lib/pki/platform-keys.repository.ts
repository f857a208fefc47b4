import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '@flexgalaxy/db';

export interface StoredKeyPair {
  name: string;
  certificatePem: string;
  /** Encrypted PKCS#8 PEM. */
  privateKeyPem: string;
}

/** The only door to `provisioning.platform_keys`. */
@Injectable()
export class PlatformKeysRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async find(name: string): Promise<StoredKeyPair | null> {
    const row = await this.prisma.platformKey.findUnique({ where: { name } });
    return row ? { name: row.name, certificatePem: row.certificatePem, privateKeyPem: row.privateKeyPem } : null;
  }

  /** Keeps the first writer's pair when two instances start at once; returns the pair stored. */
  async insertOrKeep(pair: StoredKeyPair): Promise<StoredKeyPair> {
    await this.prisma.$executeRaw`
      INSERT INTO "provisioning"."platform_keys" ("name", "certificate_pem", "private_key_pem")
      VALUES (${pair.name}, ${pair.certificatePem}, ${pair.privateKeyPem})
      ON CONFLICT ("name") DO NOTHING`;
    return (await this.find(pair.name)) ?? pair;
  }
}
