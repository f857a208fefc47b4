import type { SqlSession } from '@flexgalaxy/db';

/** A position in the outbox stream: commit order first (tx id), then insertion order. */
export interface StreamPosition {
  txId: bigint;
  seq: bigint;
}

export const STREAM_START: StreamPosition = { txId: 0n, seq: 0n };

/** An outbox row as stored; it is validated by each consumer, never trusted. */
export interface OutboxRow {
  position: StreamPosition;
  id: string;
  type: string;
  version: number;
  accountId: string;
  deviceId: string | null;
  payload: unknown;
  occurredAt: string;
}

interface RawOutboxRow extends Record<string, unknown> {
  seq: string;
  tx_id: string;
  id: string;
  type: string;
  version: number;
  account_id: string;
  device_id: string | null;
  payload: unknown;
  occurred_at: Date | string;
}

// Only rows of transactions older than every running one are read: a transaction that
// committed late with a lower seq would otherwise be skipped for good. One index range scan
// on (tx_id, seq). Columns are qualified: the text aliases below must not be what sorts.
const READ_AFTER = `
SELECT seq::text AS seq, tx_id::text AS tx_id, id::text AS id, type, version, account_id, device_id, payload, occurred_at
  FROM events.outbox
 WHERE (outbox.tx_id, outbox.seq) > ($1::text::xid8, $2::bigint)
   AND outbox.tx_id < pg_snapshot_xmin(pg_current_snapshot())
 ORDER BY outbox.tx_id, outbox.seq
 LIMIT $3`;

export async function readOutboxAfter(sql: SqlSession, after: StreamPosition, limit: number): Promise<OutboxRow[]> {
  const rows = await sql.query<RawOutboxRow>(READ_AFTER, [after.txId.toString(), after.seq.toString(), limit]);
  return rows.map((row) => ({
    position: { txId: BigInt(row.tx_id), seq: BigInt(row.seq) },
    id: row.id,
    type: row.type,
    version: row.version,
    accountId: row.account_id,
    deviceId: row.device_id,
    payload: row.payload,
    occurredAt:
      row.occurred_at instanceof Date ? row.occurred_at.toISOString() : new Date(row.occurred_at).toISOString(),
  }));
}

export function toEnvelopeJson(row: OutboxRow): Record<string, unknown> {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    occurredAt: row.occurredAt,
    accountId: row.accountId,
    deviceId: row.deviceId,
    payload: row.payload,
  };
}
