import type { Tx } from './prisma.service.js';

/**
 * A transaction-scoped advisory lock on a text key (released at commit or rollback). `shared`
 * holders never wait for each other, only for an `exclusive` holder of the same key.
 */
export async function lockKey(tx: Tx, key: string, mode: 'shared' | 'exclusive' = 'exclusive'): Promise<void> {
  if (mode === 'shared') await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${key}, 0))`;
  else await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}
