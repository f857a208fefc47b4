export { DomainError, type DomainErrorKind } from './errors/domain-error.js';
export { defineEvent, eventEnvelopeSchema, type EventDefinition, type EventEnvelope } from './events/envelope.js';
export {
  eventCatalog,
  eventTypes,
  isEventType,
  type EventMap,
  type EventType,
  type PlatformEvent,
} from './events/catalog.js';
export {
  deviceAttributesSchema,
  deviceTypeSchema,
  lifecycleStateSchema,
  provisioningScenarioSchema,
} from './events/device.events.js';
export { otaActionStatusSchema } from './events/ota.events.js';
export { licenseTypeSchema } from './events/licensing.events.js';
export { licenseTriggerSchema, softwareCategorySchema, versionScopingSchema } from './events/marketplace.events.js';
export { accountKindSchema } from './events/org.events.js';
