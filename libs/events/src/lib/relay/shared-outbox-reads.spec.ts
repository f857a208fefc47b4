import type { SqlSession } from '@flexgalaxy/db';
import { STREAM_START } from '../outbox/outbox.reader.js';
import { SharedOutboxReads } from './shared-outbox-reads.js';
import { WakeSignal } from './wake-signal.js';

/** An outbox whose queries stay open until the test answers them, in order. */
class HeldQueries {
  readonly sent: { params: unknown[]; answer: (rows: unknown[]) => void; fail: (error: Error) => void }[] = [];

  readonly sql = {
    query: (_sql: string, params: unknown[] = []) =>
      new Promise((resolve, reject) => this.sent.push({ params, answer: resolve, fail: reject })),
  } as unknown as SqlSession;
}

const row = (seq: number) => ({
  seq: String(seq),
  tx_id: '700',
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  type: 'device.provisioned',
  version: 1,
  account_id: 'acct',
  device_id: 'dev',
  payload: {},
  occurred_at: new Date('2026-12-08T00:00:00Z'),
});

describe('SharedOutboxReads', () => {
  let outbox: HeldQueries;
  let wake: WakeSignal;
  let reads: SharedOutboxReads;

  beforeEach(() => {
    outbox = new HeldQueries();
    wake = new WakeSignal();
    reads = new SharedOutboxReads(outbox.sql, wake);
  });

  it('should send one query for loops asking for the same page at once', async () => {
    const first = reads.read(STREAM_START, 50);
    const second = reads.read(STREAM_START, 50);
    outbox.sent[0]!.answer([row(1)]);

    expect(outbox.sent).toHaveLength(1);
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBe(b);
    expect(a.map((r) => r.position.seq)).toEqual([1n]);
  });

  it('should not join a read sent before the NOTIFY that woke the caller', async () => {
    const before = reads.read(STREAM_START, 50);
    wake.notify();
    const after = reads.read(STREAM_START, 50);
    // A loop woken again by the same NOTIFY may join the newer read.
    const alongside = reads.read(STREAM_START, 50);

    expect(outbox.sent).toHaveLength(2);
    outbox.sent[0]!.answer([]);
    outbox.sent[1]!.answer([row(1)]);
    expect(await before).toEqual([]);
    expect((await after).map((r) => r.position.seq)).toEqual([1n]);
    expect(await alongside).toBe(await after);
  });

  it('should read other positions and page sizes separately', async () => {
    void reads.read(STREAM_START, 50);
    void reads.read({ txId: 700n, seq: 1n }, 50);
    void reads.read(STREAM_START, 10);

    expect(outbox.sent.map((query) => query.params)).toEqual([
      ['0', '0', 50],
      ['700', '1', 50],
      ['0', '0', 10],
    ]);
    for (const query of outbox.sent) query.answer([]);
  });

  it('should keep nothing once a read is answered, and let a failed read fail every caller', async () => {
    const first = reads.read(STREAM_START, 50);
    const joined = reads.read(STREAM_START, 50);
    outbox.sent[0]!.fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await expect(joined).rejects.toThrow('connection lost');

    const retried = reads.read(STREAM_START, 50);
    expect(outbox.sent).toHaveLength(2);
    outbox.sent[1]!.answer([row(2)]);
    expect((await retried).map((r) => r.position.seq)).toEqual([2n]);
  });
});
