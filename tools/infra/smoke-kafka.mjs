#!/usr/bin/env node
// Kafka smoke test with the project's real client (kafkajs 2.2.4) against the broker started by infra.mjs:
// creates a topic, produces with an idempotent producer, consumes with a consumer group, commits offsets and
// reads the committed offset back. Exits non-zero on any failure.
//
//   node tools/infra/smoke-kafka.mjs
//
// Brokers: KAFKA_BROKERS from the environment if set, else from <repo>/.infra/env (written by `infra.mjs up`).
// kafkajs is required from <repo>/node_modules (require() also honours NODE_PATH).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENV_FILE = path.join(REPO_ROOT, '.infra', 'env');
const MESSAGES = 5;
const TIMEOUT_MS = 60000;

function fail(msg) {
  console.error(`[smoke-kafka] FAILED: ${msg}`);
  process.exit(1);
}

function brokersFromEnv() {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  if (!fs.existsSync(ENV_FILE)) fail(`${ENV_FILE} not found: run \`node tools/infra/infra.mjs up kafka\` first`);
  for (const line of fs.readFileSync(ENV_FILE, 'utf8').split('\n')) {
    const m = line.match(/^\s*KAFKA_BROKERS\s*=\s*(.+?)\s*$/);
    if (m) return m[1];
  }
  return fail(`no KAFKA_BROKERS line in ${ENV_FILE} (is Kafka running? \`node tools/infra/infra.mjs status\`)`);
}

let kafkajs;
try {
  kafkajs = createRequire(path.join(REPO_ROOT, 'package.json'))('kafkajs');
} catch (e) {
  fail(
    `cannot load kafkajs from ${path.join(REPO_ROOT, 'node_modules')} (${e.code || e.message}); install it in the repo`,
  );
}
const { Kafka, Partitioners, logLevel } = kafkajs;

const brokers = brokersFromEnv()
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const run = `${Date.now()}-${process.pid}`;
const topic = `infra-smoke-${run}`;
const groupId = `infra-smoke-group-${run}`;

const timer = setTimeout(() => fail(`timed out after ${TIMEOUT_MS / 1000}s`), TIMEOUT_MS);
const t0 = Date.now();

// kafkajs logs retriable errors (e.g. "coordinator is loading" right after a fresh broker start) at ERROR level
// before retrying them successfully; keep it quiet unless SMOKE_KAFKA_DEBUG is set. Real failures still throw.
const kafka = new Kafka({
  clientId: 'infra-smoke',
  brokers,
  logLevel: process.env.SMOKE_KAFKA_DEBUG ? logLevel.DEBUG : logLevel.NOTHING,
  retry: { retries: 6 },
});
const admin = kafka.admin();
const producer = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
});
const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });

try {
  await admin.connect();
  const cluster = await admin.describeCluster();
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  if (!created) fail(`topic ${topic} already existed`);

  await producer.connect();
  const sent = await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: MESSAGES }, (_, i) => ({ key: `k${i}`, value: `smoke ${i} ${run}` })),
  });
  if (sent[0]?.errorCode !== 0) fail(`produce returned ${JSON.stringify(sent)}`);

  const received = [];
  let resolveAll;
  const allReceived = new Promise((r) => (resolveAll = r));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic: t, partition, message }) => {
      received.push(message.value.toString());
      await consumer.commitOffsets([{ topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      if (received.length === MESSAGES) resolveAll();
    },
  });
  await allReceived;
  const expected = Array.from({ length: MESSAGES }, (_, i) => `smoke ${i} ${run}`);
  if (JSON.stringify(received) !== JSON.stringify(expected))
    fail(`received ${JSON.stringify(received)}, expected ${JSON.stringify(expected)}`);
  await consumer.stop();

  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = offsets[0]?.partitions?.[0]?.offset;
  if (committed !== String(MESSAGES)) fail(`committed offset for ${groupId} is ${committed}, expected ${MESSAGES}`);

  console.log(
    `[smoke-kafka] OK in ${Date.now() - t0}ms: ${brokers.join(',')} (cluster ${cluster.clusterId}), topic ${topic}, ` +
      `${MESSAGES} messages via idempotent producer, consumed and committed by group ${groupId} (offset ${committed})`,
  );
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await consumer.disconnect().catch(() => {});
  await producer.disconnect().catch(() => {});
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.deleteGroups([groupId]).catch(() => {});
  await admin.disconnect().catch(() => {});
  clearTimeout(timer);
}
