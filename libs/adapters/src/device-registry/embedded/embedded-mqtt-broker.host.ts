import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EmbeddedDeviceRegistry } from './embedded-device-registry.js';
import { EmbeddedMqttBroker } from './embedded-mqtt-broker.js';

/**
 * Runs the embedded broker for the module's lifetime. It stops in onModuleDestroy, before the
 * database closes (DatabaseModule closes its connection in onApplicationShutdown, which Nest calls
 * after every onModuleDestroy), so the queued telemetry is still written and acknowledged.
 */
@Injectable()
export class EmbeddedMqttBrokerHost implements OnModuleInit, OnModuleDestroy {
  constructor(
    @Inject(EmbeddedMqttBroker) private readonly broker: EmbeddedMqttBroker,
    @Inject(EmbeddedDeviceRegistry) private readonly registry: EmbeddedDeviceRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.broker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.broker.stop();
    await this.registry.close();
  }
}
