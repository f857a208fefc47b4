import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { DatabaseConnection } from './database-connection.js';

/** A Prisma interactive transaction; repositories and the outbox take it to share one commit. */
export type Tx = Prisma.TransactionClient;

/** The Prisma client over the driver adapter the config picked (pg or PGlite). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(readonly connection: DatabaseConnection) {
    // Prisma's defaults (2 s to start, 5 s to commit) fail sound work on a loaded 2-core machine:
    // a 10,000-event outbox write or a fleet-wide transfer. Bounded still, so a stuck one ends.
    super({ adapter: connection.adapter, transactionOptions: { maxWait: 10_000, timeout: 30_000 } });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}

/** Postgres' unique_violation, as Prisma reports it through a driver adapter. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** A deadlock or serialization failure: PostgreSQL rolled the transaction back; it may run again. */
export function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  // Model queries report it as P2034; raw queries as P2010 with the driver adapter's cause.
  const cause = (error.meta as { driverAdapterError?: { cause?: { kind?: unknown } } } | undefined)?.driverAdapterError
    ?.cause;
  return error.code === 'P2034' || (error.code === 'P2010' && cause?.kind === 'TransactionWriteConflict');
}

const CONFLICT_ATTEMPTS = 3;

/**
 * Runs `work` in one transaction, again (up to three times in all) when PostgreSQL aborted it as a
 * deadlock victim or for a serialization failure: the rollback undid everything, so the rerun is
 * the same request. `work` must not have effects outside the database it cannot repeat.
 */
export async function runTransaction<T>(
  prisma: PrismaService,
  work: (tx: Tx) => Promise<T>,
  options?: { timeout?: number; maxWait?: number },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(work, options);
    } catch (error) {
      if (attempt >= CONFLICT_ATTEMPTS || !isTransactionConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40));
    }
  }
}

export { Prisma };
