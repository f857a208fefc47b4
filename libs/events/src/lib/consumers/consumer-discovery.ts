import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { ConsumerRegistration } from './consumer-registration.js';
import { EVENT_CONSUMER, type EventConsumer, type EventConsumerOptions } from './event-consumer.decorator.js';

export class DuplicateConsumerNameError extends Error {
  constructor(name: string) {
    super(`two event consumers are named ${name}; names key offsets and must be unique`);
  }
}

/** Finds every provider marked @OnEvents in the application. */
@Injectable()
export class ConsumerDiscovery {
  constructor(private readonly discovery: DiscoveryService) {}

  discover(): ConsumerRegistration[] {
    const registrations = new Map<string, ConsumerRegistration>();
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype;
      if (!type || !wrapper.instance || typeof type !== 'function') continue;
      const options = Reflect.getMetadata(EVENT_CONSUMER, type) as EventConsumerOptions | undefined;
      if (!options) continue;
      if (registrations.has(options.name)) throw new DuplicateConsumerNameError(options.name);
      registrations.set(options.name, {
        name: options.name,
        events: new Set(options.events),
        handler: wrapper.instance as EventConsumer,
      });
    }
    return [...registrations.values()];
  }
}
