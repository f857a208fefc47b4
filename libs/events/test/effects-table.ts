import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { SqlSession, Tx } from '@flexgalaxy/db';
import type { EventConsumer } from '../src/index.js';

/**
 * A consumer's observable effect for tests: one row per application, deliberately without a
 * unique key so a duplicate application shows up as a second row.
 */
export async function createEffectsTable(sql: SqlSession): Promise<void> {
  await sql.exec(
    'CREATE TABLE IF NOT EXISTS public.test_effects (consumer text NOT NULL, event_id uuid NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp())',
  );
}

export class RecordingConsumer implements EventConsumer {
  constructor(
    readonly name: string,
    private readonly onHandle: (event: PlatformEvent) => void | Promise<void> = () => undefined,
  ) {}

  async handle(event: PlatformEvent, tx: Tx): Promise<void> {
    await this.onHandle(event);
    await tx.$executeRawUnsafe(
      'INSERT INTO public.test_effects (consumer, event_id) VALUES ($1, $2::uuid)',
      this.name,
      event.id,
    );
  }
}

export async function effectsOf(sql: SqlSession, consumer: string): Promise<string[]> {
  const rows = await sql.query<{ event_id: string }>(
    'SELECT event_id::text AS event_id FROM public.test_effects WHERE consumer = $1 ORDER BY applied_at',
    [consumer],
  );
  return rows.map((row) => row.event_id);
}
