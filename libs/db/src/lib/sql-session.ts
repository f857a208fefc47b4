/**
 * The few raw SQL operations the platform needs below Prisma (migrations, the outbox relay,
 * LISTEN/NOTIFY), with one implementation per driver.
 */
export interface SqlSession {
  /** Runs a script of one or more statements (simple query protocol). */
  exec(sql: string): Promise<void>;
  /** Runs one parameterised statement and returns its rows. */
  query<TRow extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<TRow[]>;
  /**
   * {@link query}, but prepared once per connection under `name` and executed from then on without
   * being parsed and planned again: for statements on a hot path. One name, one SQL text.
   */
  queryPrepared<TRow extends Record<string, unknown>>(name: string, sql: string, params?: unknown[]): Promise<TRow[]>;
  /** Runs `work` inside one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for each NOTIFY on `channel` until the returned function is called. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
}
