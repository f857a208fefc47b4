import pg from 'pg';
import type { SqlSession } from './sql-session.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

class PgClientSession implements SqlSession {
  constructor(private readonly client: Queryable) {}

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async query<TRow extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<TRow[]> {
    const result = await this.client.query(sql, params);
    return result.rows as TRow[];
  }

  async queryPrepared<TRow extends Record<string, unknown>>(
    name: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<TRow[]> {
    const result = await this.client.query({ name, text: sql, values: params });
    return result.rows as TRow[];
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return work(this);
  }

  listen(): Promise<() => Promise<void>> {
    throw new Error('LISTEN is not available inside a transaction');
  }
}

/** SqlSession over a node-postgres pool; LISTEN holds one dedicated connection. */
export class PgSqlSession implements SqlSession {
  constructor(private readonly pool: pg.Pool) {}

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async query<TRow extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<TRow[]> {
    const result = await this.pool.query(sql, params);
    return result.rows as TRow[];
  }

  // node-postgres keeps a named statement per connection: parsed and planned on a connection's
  // first use only (PostgreSQL then reuses a generic plan once it is as cheap as the custom ones).
  async queryPrepared<TRow extends Record<string, unknown>>(
    name: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<TRow[]> {
    const result = await this.pool.query({ name, text: sql, values: params });
    return result.rows as TRow[];
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(new PgClientSession(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    const handler = (message: pg.Notification) => {
      if (message.channel === channel) onNotify();
    };
    client.on('notification', handler);
    await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    return async () => {
      client.off('notification', handler);
      await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
      client.release();
    };
  }
}
