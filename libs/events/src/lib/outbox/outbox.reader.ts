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

// Only rows of transactions older than every running one *of this database* are read: a
// transaction that committed late with a lower seq would otherwise be skipped for good. The
// snapshot's xmin would do, but it counts every database of the cluster, so one long
// transaction anywhere (a report, a migration, another tenant of the server) would stall
// delivery here. So the in-progress xids are taken from the snapshot and only those that
// pg_stat_activity, read after it, shows as another database's current xid are left out: an
// xid it no longer shows (finished since) or cannot attribute stays in, which errs on the side of
// waiting. xids there are 32-bit, the outbox's xid8: compared modulo 2^32, as no two running xids
// can be 2^32 apart. The horizon is a scalar subquery, so it bounds the index range scan (an
// init plan) and rows of a large transaction still in progress are never visited. Columns are
// qualified: the text aliases below must not be what sorts.
const READ_AFTER = `
WITH other_databases_xids AS (
  SELECT activity.backend_xid::text::bigint AS xid
    FROM pg_stat_get_activity(NULL) AS activity
   WHERE activity.backend_xid IS NOT NULL
     AND activity.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database())
), horizon AS (
  SELECT coalesce(min(running.xid), pg_snapshot_xmax(pg_current_snapshot())) AS xid
    FROM pg_snapshot_xip(pg_current_snapshot()) AS running(xid)
   WHERE running.xid::text::bigint % 4294967296 NOT IN (SELECT xid FROM other_databases_xids)
)
SELECT seq::text AS seq, tx_id::text AS tx_id, id::text AS id, type, version, account_id, device_id, payload, occurred_at
  FROM events.outbox
 WHERE (outbox.tx_id, outbox.seq) > ($1::text::xid8, $2::bigint)
   AND outbox.tx_id < (SELECT xid FROM horizon)
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
