// A Kafka-consuming service in its own process, so a test can SIGKILL it mid-batch.
import 'reflect-metadata';
import { DatabaseConnection, PrismaService } from '@flexgalaxy/db';
import { EventApplier } from '../src/lib/consumers/event-applier.js';
import { eventsConfigSchema } from '../src/lib/events.config.js';
import { KafkaTransport } from '../src/lib/kafka/kafka.transport.js';
import { RecordingConsumer } from './effects-table.js';

const [databaseUrl, brokers, prefix, groupId, consumer] = process.argv.slice(2);
if (!databaseUrl || !brokers || prefix === undefined || !groupId || !consumer) {
  process.stderr.write('usage: kafka-consumer-worker <database-url> <brokers> <topic-prefix> <group> <consumer>\n');
  process.exit(2);
}

const connection = await DatabaseConnection.open({
  DATABASE_URL: databaseUrl,
  PGLITE_DATA_DIR: 'unused',
  DATABASE_POOL_SIZE: 4,
});
const prisma = new PrismaService(connection);
const config = eventsConfigSchema.parse({
  KAFKA_BROKERS: brokers,
  KAFKA_TOPIC_PREFIX: prefix,
  KAFKA_GROUP_ID: groupId,
  EVENTS_PUBLISH: 'false',
});
const transport = new KafkaTransport(connection, prisma, new EventApplier(), config);
// A little work per event keeps offsets uncommitted long enough to be killed in the middle.
const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 3));
await transport.start([
  { name: consumer, events: new Set(['device.suspended'] as const), handler: new RecordingConsumer(consumer, slow) },
]);
process.stdout.write('ready\n');
