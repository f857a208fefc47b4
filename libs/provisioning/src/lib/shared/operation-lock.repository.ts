import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@flexgalaxy/contracts';
import { PrismaService } from '@flexgalaxy/db';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../provisioning.config.js';

/** Another operation on the same device (or serial) is running; retry once it finished. */
export class OperationInProgressError extends DomainError {
  readonly code = 'DEVICE.OPERATION_IN_PROGRESS';
  readonly kind = 'conflict' as const;

  constructor(operation: string) {
    super(`another ${operation} of this device is in progress`, { operation });
  }
}

/**
 * Leases on devices while their backends change. Backend calls are HTTP calls and cannot sit in a
 * database transaction (PGlite has one connection; PostgreSQL would hold locks across the network),
 * so one insert on a primary key serialises them instead; a lease older than
 * OPERATION_LOCK_TTL_SECONDS belonged to a process that died and is taken over.
 */
@Injectable()
export class OperationLocks {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig,
  ) {}

  async withLock<T>(key: string, operation: string, work: () => Promise<T>): Promise<T> {
    await this.acquire(key, operation);
    try {
      return await work();
    } finally {
      await this.prisma.connection.sql.queryPrepared('provisioning_release_lock', RELEASE_SQL, [key, operation]);
    }
  }

  private async acquire(key: string, operation: string): Promise<void> {
    const staleBefore = new Date(Date.now() - this.config.OPERATION_LOCK_TTL_SECONDS * 1000);
    const taken = await this.prisma.connection.sql.queryPrepared('provisioning_acquire_lock', ACQUIRE_SQL, [
      key,
      operation,
      staleBefore,
    ]);
    if (taken.length === 0) throw new OperationInProgressError(operation);
  }
}

/**
 * One statement per lease, on the path of every enrollment and transfer: a free key is inserted, a
 * stale lease (its holder died) is taken over, a live one is left alone and returns no row.
 */
const ACQUIRE_SQL = `
  INSERT INTO "provisioning"."operation_locks" ("key", "operation", "acquired_at")
  VALUES ($1, $2, now())
  ON CONFLICT ("key") DO UPDATE SET "operation" = EXCLUDED."operation", "acquired_at" = EXCLUDED."acquired_at"
   WHERE "operation_locks"."acquired_at" < $3
  RETURNING "key"`;

const RELEASE_SQL = `DELETE FROM "provisioning"."operation_locks" WHERE "key" = $1 AND "operation" = $2`;
