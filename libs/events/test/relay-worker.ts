// A relay in its own process, so a test can SIGKILL it mid-batch and start it again.
import 'reflect-metadata';
import { DatabaseConnection, PrismaService } from '@flexgalaxy/db';
import { EventApplier } from '../src/lib/consumers/event-applier.js';
import { eventsConfigSchema } from '../src/lib/events.config.js';
import { InProcessTransport } from '../src/lib/relay/in-process.transport.js';
import { RecordingConsumer } from './effects-table.js';

const databaseUrl = process.argv[2];
const consumers = process.argv.slice(3);
if (!databaseUrl || consumers.length === 0) {
  process.stderr.write('usage: relay-worker <database-url> <consumer>...\n');
  process.exit(2);
}

const connection = await DatabaseConnection.open({
  DATABASE_URL: databaseUrl,
  PGLITE_DATA_DIR: 'unused',
  DATABASE_POOL_SIZE: 4,
});
const prisma = new PrismaService(connection);
const config = eventsConfigSchema.parse({ EVENTS_BATCH_SIZE: '50', EVENTS_POLL_INTERVAL_MS: '100' });
const transport = new InProcessTransport(connection, prisma, new EventApplier(), config);
// A little work per event keeps batches in flight long enough to be killed in the middle.
const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 2));
await transport.start(
  consumers.map((name) => ({
    name,
    events: new Set(['org.account.created'] as const),
    handler: new RecordingConsumer(name, slow),
  })),
);
process.stdout.write('ready\n');
