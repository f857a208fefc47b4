import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { SqlSession } from './sql-session.js';

type PgliteQueryable = Pick<PGlite, 'exec' | 'query'> | Transaction;

class PgliteTransactionSession implements SqlSession {
  constructor(private readonly tx: PgliteQueryable) {}

  async exec(sql: string): Promise<void> {
    await this.tx.exec(sql);
  }

  async query<TRow extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<TRow[]> {
    const result = await this.tx.query<TRow>(sql, params);
    return result.rows;
  }

  queryPrepared<TRow extends Record<string, unknown>>(_name: string, sql: string, params?: unknown[]): Promise<TRow[]> {
    return this.query<TRow>(sql, params);
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this);
  }

  listen(): Promise<() => Promise<void>> {
    throw new Error('LISTEN is not available inside a transaction');
  }
}

/** SqlSession over an embedded PGlite instance (one connection, serialised by PGlite itself). */
export class PgliteSqlSession implements SqlSession {
  constructor(private readonly db: PGlite) {}

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async query<TRow extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<TRow[]> {
    const result = await this.db.query<TRow>(sql, params);
    return result.rows;
  }

  // PGlite runs in this process: no round trip to save, and it has no named statements.
  queryPrepared<TRow extends Record<string, unknown>>(_name: string, sql: string, params?: unknown[]): Promise<TRow[]> {
    return this.query<TRow>(sql, params);
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(new PgliteTransactionSession(tx)));
  }

  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    const unsubscribe = await this.db.listen(channel, () => onNotify());
    return () => unsubscribe();
  }
}
