import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DatabaseConnection, PrismaService } from '@flexgalaxy/db';
import { ConsumerDiscovery } from './consumers/consumer-discovery.js';
import { DeadLettersService } from './consumers/dead-letters.service.js';
import { EventApplier } from './consumers/event-applier.js';
import type { EventsConfig } from './events.config.js';
import { EVENT_TRANSPORT, type EventTransport } from './event-transport.port.js';
import { KafkaTransport } from './kafka/kafka.transport.js';
import { OutboxWriter } from './outbox/outbox.writer.js';
import { InProcessTransport } from './relay/in-process.transport.js';

export const EVENTS_CONFIG = Symbol('EVENTS_CONFIG');

/**
 * The event bus of one process: provides OutboxWriter to every service, discovers @OnEvents
 * consumers and starts the transport the config picks (Kafka if KAFKA_BROKERS, else in-process)
 * once the application has bootstrapped.
 */
@Global()
@Module({})
export class EventsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
    @Inject(ConsumerDiscovery) private readonly discovery: ConsumerDiscovery,
    @Inject(DeadLettersService) private readonly deadLetters: DeadLettersService,
  ) {}

  static forRoot(config: EventsConfig): DynamicModule {
    return {
      module: EventsModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: EVENTS_CONFIG, useValue: config },
        OutboxWriter,
        EventApplier,
        ConsumerDiscovery,
        DeadLettersService,
        {
          provide: EVENT_TRANSPORT,
          inject: [DatabaseConnection, PrismaService, EventApplier],
          useFactory: (connection: DatabaseConnection, prisma: PrismaService, applier: EventApplier): EventTransport =>
            config.KAFKA_BROKERS
              ? new KafkaTransport(connection, prisma, applier, config)
              : new InProcessTransport(connection, prisma, applier, config),
        },
      ],
      exports: [OutboxWriter, DeadLettersService, EVENT_TRANSPORT, EVENTS_CONFIG],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const consumers = this.discovery.discover();
    this.deadLetters.useConsumers(consumers);
    await this.transport.start(consumers);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transport.stop();
  }
}
