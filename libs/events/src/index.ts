export { eventsConfigSchema, type EventsConfig } from './lib/events.config.js';
export { EventsModule, EVENTS_CONFIG } from './lib/events.module.js';
export { EVENT_TRANSPORT, type EventTransport } from './lib/event-transport.port.js';
export { OutboxWriter, type EventScope, type EventToAppend } from './lib/outbox/outbox.writer.js';
export { OnEvents, type EventConsumer, type EventConsumerOptions } from './lib/consumers/event-consumer.decorator.js';
export {
  DeadLetterNotFoundError,
  DeadLettersService,
  type DeadLetterView,
} from './lib/consumers/dead-letters.service.js';
export { parseEvent } from './lib/consumers/parse-event.js';
