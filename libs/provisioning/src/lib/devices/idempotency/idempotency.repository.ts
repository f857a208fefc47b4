import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, PrismaService } from '@flexgalaxy/db';

export interface IdempotencyRecordView {
  fingerprint: string;
  state: 'in_progress' | 'completed';
  responseStatus: number | null;
  responseCipher: string | null;
  expiresAt: Date;
}

/** The only door to `provisioning.idempotency_records` (primary key: scope + key). */
@Injectable()
export class IdempotencyRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async find(scope: string, key: string): Promise<IdempotencyRecordView | null> {
    const row = await this.prisma.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
    if (!row) return null;
    return {
      fingerprint: row.fingerprint,
      state: row.state as IdempotencyRecordView['state'],
      responseStatus: row.responseStatus,
      responseCipher: row.responseCipher,
      expiresAt: row.expiresAt,
    };
  }

  /** @returns false when a record for this key exists already. */
  async begin(scope: string, key: string, operation: string, fingerprint: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.prisma.idempotencyRecord.create({
        data: { scope, key, operation, fingerprint, state: 'in_progress', expiresAt },
      });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async complete(scope: string, key: string, status: number, cipher: string): Promise<void> {
    await this.prisma.idempotencyRecord.update({
      where: { scope_key: { scope, key } },
      data: { state: 'completed', responseStatus: status, responseCipher: cipher },
    });
  }

  async remove(scope: string, key: string): Promise<void> {
    await this.prisma.idempotencyRecord.deleteMany({ where: { scope, key } });
  }

  /** Drops expired records (they hold encrypted credentials); indexed by expiry. */
  async purgeExpired(now: Date): Promise<void> {
    await this.prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lt: now } } });
  }
}
