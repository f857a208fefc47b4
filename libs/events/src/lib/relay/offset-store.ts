import type { SqlSession, Tx } from '@flexgalaxy/db';
import type { StreamPosition } from '../outbox/outbox.reader.js';

interface RawOffset extends Record<string, unknown> {
  last_tx_id: string;
  last_seq: string;
}

function toPosition(row: RawOffset): StreamPosition {
  return { txId: BigInt(row.last_tx_id), seq: BigInt(row.last_seq) };
}

/** Durable per-consumer positions in the outbox stream (events.consumer_offsets). */
export const offsetStore = {
  async load(sql: SqlSession, consumer: string): Promise<StreamPosition> {
    await sql.query('INSERT INTO events.consumer_offsets (consumer) VALUES ($1) ON CONFLICT DO NOTHING', [consumer]);
    const [row] = await sql.query<RawOffset>(
      'SELECT last_tx_id::text AS last_tx_id, last_seq::text AS last_seq FROM events.consumer_offsets WHERE consumer = $1',
      [consumer],
    );
    return toPosition(row!);
  },

  /**
   * Locks the consumer's offset row for this transaction and checks nobody moved it since we
   * read it: with several replicas, only one applies a given stretch of the stream.
   */
  async lockAt(tx: Tx, consumer: string, expected: StreamPosition): Promise<boolean> {
    const [row] = await tx.$queryRawUnsafe<RawOffset[]>(
      'SELECT last_tx_id::text AS last_tx_id, last_seq::text AS last_seq FROM events.consumer_offsets WHERE consumer = $1 FOR UPDATE',
      consumer,
    );
    if (!row) return false;
    const current = toPosition(row);
    return current.txId === expected.txId && current.seq === expected.seq;
  },

  async advance(tx: Tx, consumer: string, to: StreamPosition): Promise<void> {
    await tx.$executeRawUnsafe(
      'UPDATE events.consumer_offsets SET last_tx_id = $2::bigint, last_seq = $3::bigint, updated_at = now() WHERE consumer = $1',
      consumer,
      to.txId.toString(),
      to.seq.toString(),
    );
  },

  /** Moves the offset from `from` to `to` in one statement; false if it was no longer at `from`. */
  async moveIfAt(sql: SqlSession, consumer: string, from: StreamPosition, to: StreamPosition): Promise<boolean> {
    const rows = await sql.query(
      `UPDATE events.consumer_offsets SET last_tx_id = $4::bigint, last_seq = $5::bigint, updated_at = now()
        WHERE consumer = $1 AND last_tx_id = $2::bigint AND last_seq = $3::bigint
       RETURNING consumer`,
      [consumer, from.txId.toString(), from.seq.toString(), to.txId.toString(), to.seq.toString()],
    );
    return rows.length === 1;
  },
};
