import type { EventType } from '@flexgalaxy/contracts';
import { DRIVERS, openTestDatabase, waitFor, type TestDatabase } from '@flexgalaxy/testing';
import { createEffectsTable, effectsOf, RecordingConsumer } from '../../../test/effects-table.js';
import type { ConsumerRegistration } from '../consumers/consumer-registration.js';
import { EventApplier } from '../consumers/event-applier.js';
import { eventsConfigSchema } from '../events.config.js';
import { OutboxWriter } from '../outbox/outbox.writer.js';
import { InProcessTransport } from './in-process.transport.js';

const config = eventsConfigSchema.parse({
  EVENTS_POLL_INTERVAL_MS: '5000',
  EVENTS_MAX_ATTEMPTS: '3',
  EVENTS_RETRY_BASE_MS: '5',
});

function registration(consumer: RecordingConsumer, events: EventType[]): ConsumerRegistration {
  return { name: consumer.name, events: new Set(events), handler: consumer };
}

function accountCreated(accountId: string) {
  return {
    accountId,
    name: `Account ${accountId}`,
    kind: 'member' as const,
    parentAccountId: 'root',
    orgRootAccountId: 'root',
  };
}

describe.each(DRIVERS)('InProcessTransport on %s', (driver) => {
  let db: TestDatabase;
  let transport: InProcessTransport;
  const writer = new OutboxWriter();

  beforeEach(async () => {
    db = await openTestDatabase(driver);
    await createEffectsTable(db.connection.sql);
  });
  afterEach(async () => {
    await transport?.stop();
    await db.close();
  });

  async function publish(accountId: string): Promise<string> {
    const event = await db.prisma.$transaction((tx) =>
      writer.append(tx, 'org.account.created', accountCreated(accountId), { accountId }),
    );
    return event.id;
  }

  async function start(...registrations: ConsumerRegistration[]): Promise<void> {
    transport = new InProcessTransport(db.connection, db.prisma, new EventApplier(), config);
    await transport.start(registrations);
  }

  it('should deliver each committed event exactly once to every consumer, in commit order, woken by NOTIFY', async () => {
    const first = new RecordingConsumer('first');
    const second = new RecordingConsumer('second');
    const before = [await publish('a1'), await publish('a2')];
    await start(registration(first, ['org.account.created']), registration(second, ['org.account.created']));
    const after = [await publish('a3'), await publish('a4')];

    // The poll interval is 5 s: delivery within 3 s proves the NOTIFY wake-up.
    await waitFor(async () => (await effectsOf(db.connection.sql, 'second')).length === 4, 3000);
    await waitFor(async () => (await effectsOf(db.connection.sql, 'first')).length === 4, 3000);
    expect(await effectsOf(db.connection.sql, 'first')).toEqual([...before, ...after]);
    expect(await effectsOf(db.connection.sql, 'second')).toEqual([...before, ...after]);
  });

  it('should never deliver an event whose transaction rolled back', async () => {
    const consumer = new RecordingConsumer('rollback-watcher');
    await start(registration(consumer, ['org.account.created']));
    await expect(
      db.prisma.$transaction(async (tx) => {
        await writer.append(tx, 'org.account.created', accountCreated('ghost'), { accountId: 'ghost' });
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const committed = await publish('real');

    await waitFor(async () => (await effectsOf(db.connection.sql, consumer.name)).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await effectsOf(db.connection.sql, consumer.name)).toEqual([committed]);
  });

  it('should dead-letter a malformed event with its validation error and keep consuming', async () => {
    const consumer = new RecordingConsumer('strict');
    await db.connection.sql.query(
      `INSERT INTO events.outbox (id, type, version, account_id, payload, occurred_at)
       VALUES ('11111111-1111-4111-8111-111111111111', 'org.account.created', 1, 'x', '{"accountId": 42}', now())`,
    );
    const good = await publish('after-bad');
    await start(registration(consumer, ['org.account.created']));

    await waitFor(async () => (await effectsOf(db.connection.sql, consumer.name)).length === 1);
    expect(await effectsOf(db.connection.sql, consumer.name)).toEqual([good]);
    const letters = await db.prisma.deadLetter.findMany({ where: { consumer: consumer.name } });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      eventId: '11111111-1111-4111-8111-111111111111',
      eventType: 'org.account.created',
    });
    expect(letters[0]!.error).toContain('payload.accountId');
  });

  it('should retry a failing handler, dead-letter it after the last attempt and deliver the next event', async () => {
    let calls = 0;
    const flaky = new RecordingConsumer('flaky', (event) => {
      if ((event.payload as { accountId: string }).accountId === 'poison') {
        calls++;
        throw new Error('downstream unavailable');
      }
    });
    await publish('poison');
    const healthy = await publish('healthy');
    await start(registration(flaky, ['org.account.created']));

    await waitFor(async () => (await effectsOf(db.connection.sql, 'flaky')).length === 1);
    expect(calls).toBe(config.EVENTS_MAX_ATTEMPTS);
    expect(await effectsOf(db.connection.sql, 'flaky')).toEqual([healthy]);
    const [letter] = await db.prisma.deadLetter.findMany({ where: { consumer: 'flaky' } });
    expect(letter).toMatchObject({ attempts: config.EVENTS_MAX_ATTEMPTS, error: 'Error: downstream unavailable' });
  });

  it('should apply a burst in groups and, when one handler fails once, still apply every event once, in order', async () => {
    const published: string[] = [];
    for (let i = 0; i < 120; i++) published.push(await publish(`burst-${i}`));
    const calls = new Map<string, number>();
    const consumer = new RecordingConsumer('grouped', (event) => {
      const accountId = (event.payload as { accountId: string }).accountId;
      calls.set(accountId, (calls.get(accountId) ?? 0) + 1);
      if (accountId === 'burst-77' && calls.get(accountId) === 1) throw new Error('transient');
    });
    await start(registration(consumer, ['org.account.created']));

    await waitFor(async () => (await effectsOf(db.connection.sql, 'grouped')).length >= published.length, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await effectsOf(db.connection.sql, 'grouped')).toEqual(published);
    // Its group's try was its first attempt; the retry its second. The rest of its group ran twice
    // (before the failure and again after the rollback) but took effect once.
    expect(calls.get('burst-77')).toBe(2);
    expect(await db.prisma.deadLetter.count({ where: { consumer: 'grouped' } })).toBe(0);
  });

  it('should skip events of types a consumer does not handle and resume from its durable offset', async () => {
    const consumer = new RecordingConsumer('devices-only');
    await publish('not-for-me');
    await start(registration(consumer, ['device.suspended']));
    await waitFor(async () => {
      const offset = await db.prisma.consumerOffset.findUnique({ where: { consumer: 'devices-only' } });
      return offset !== null && offset.lastSeq > 0n;
    });
    await transport.stop();
    const suspended = await db.prisma.$transaction((tx) =>
      writer.append(
        tx,
        'device.suspended',
        { deviceId: 'd1', reason: 'lease expired' },
        { accountId: 'a', deviceId: 'd1' },
      ),
    );
    await start(registration(consumer, ['device.suspended']));
    await waitFor(async () => (await effectsOf(db.connection.sql, consumer.name)).length === 1);
    expect(await effectsOf(db.connection.sql, consumer.name)).toEqual([suspended.id]);
  });
});
