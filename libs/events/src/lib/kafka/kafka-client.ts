import { Logger } from '@nestjs/common';
import kafkajs from 'kafkajs';
import type { EventsConfig } from '../events.config.js';

const { Kafka, logLevel } = kafkajs;

/** kafkajs with its log lines routed into ours (warnings and errors only). */
export function createKafka(config: EventsConfig): kafkajs.Kafka {
  const logger = new Logger('kafka');
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: config.KAFKA_BROKERS!.split(','),
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...extra } = entry.log;
      if (entry.level <= logLevel.ERROR) logger.error({ ...extra, namespace: entry.namespace }, message);
      else logger.warn({ ...extra, namespace: entry.namespace }, message);
    },
    retry: { retries: 8, initialRetryTime: 200 },
  });
}
