import { spawn, type ChildProcess } from 'node:child_process';
import { openTestDatabase, POSTGRES_AVAILABLE, waitFor, type TestDatabase } from '@flexgalaxy/testing';
import { createEffectsTable, effectsOf } from '../../../test/effects-table.js';
import { OutboxWriter } from '../outbox/outbox.writer.js';

const EVENTS = 400;
const CONSUMERS = ['crash-a', 'crash-b'];

function startWorker(databaseUrl: string): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'libs/events/test/relay-worker.ts', databaseUrl, ...CONSUMERS],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
}

(POSTGRES_AVAILABLE ? describe : describe.skip)(
  'in-process relay killed mid-batch (PostgreSQL, separate process)',
  () => {
    let db: TestDatabase;
    let worker: ChildProcess | null = null;

    beforeAll(async () => {
      db = await openTestDatabase('postgres');
      await createEffectsTable(db.connection.sql);
      const writer = new OutboxWriter();
      for (let i = 0; i < EVENTS; i += 50) {
        await db.prisma.$transaction(async (tx) => {
          for (let j = i; j < i + 50; j++) {
            await writer.append(
              tx,
              'org.account.created',
              {
                accountId: `acc-${j}`,
                name: `Account ${j}`,
                kind: 'member',
                parentAccountId: 'root',
                orgRootAccountId: 'root',
              },
              { accountId: `acc-${j}` },
            );
          }
        });
      }
    });
    afterAll(async () => {
      worker?.kill('SIGKILL');
      await db.close();
    });

    it('should apply every committed event exactly once per consumer across three SIGKILLs', async () => {
      const expected = (await db.prisma.outboxEvent.findMany({ orderBy: { seq: 'asc' }, select: { id: true } })).map(
        (e) => e.id,
      );
      const applied = async () => (await effectsOf(db.connection.sql, CONSUMERS[0]!)).length;

      for (const killAt of [60, 160, 260]) {
        worker = startWorker(db.config.DATABASE_URL!);
        await waitFor(async () => (await applied()) >= killAt, 60_000, 5);
        worker.kill('SIGKILL');
        await exited(worker);
        expect(await applied()).toBeLessThan(EVENTS);
      }
      worker = startWorker(db.config.DATABASE_URL!);
      for (const consumer of CONSUMERS) {
        await waitFor(async () => (await effectsOf(db.connection.sql, consumer)).length >= EVENTS, 60_000);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      worker.kill('SIGTERM');
      await exited(worker);

      for (const consumer of CONSUMERS) {
        expect(await effectsOf(db.connection.sql, consumer)).toEqual(expected);
      }
    });
  },
);
