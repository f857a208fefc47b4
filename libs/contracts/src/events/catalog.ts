import type { z } from 'zod';
import * as device from './device.events.js';
import type { EventDefinition, EventEnvelope } from './envelope.js';
import * as licensing from './licensing.events.js';
import * as marketplace from './marketplace.events.js';
import * as ota from './ota.events.js';
import * as org from './org.events.js';
import * as trustMint from './trust-mint.events.js';

/** Every event type the platform publishes, keyed by type (= Kafka topic name). */
export const eventCatalog = {
  [device.deviceProvisioned.type]: device.deviceProvisioned,
  [device.deviceUpgraded.type]: device.deviceUpgraded,
  [device.deviceTransferred.type]: device.deviceTransferred,
  [device.deviceCredentialsRotated.type]: device.deviceCredentialsRotated,
  [device.deviceSuspended.type]: device.deviceSuspended,
  [device.deviceReactivated.type]: device.deviceReactivated,
  [device.deviceDecommissioned.type]: device.deviceDecommissioned,
  [ota.otaActionCreated.type]: ota.otaActionCreated,
  [ota.otaActionStatusChanged.type]: ota.otaActionStatusChanged,
  [licensing.licenseIssued.type]: licensing.licenseIssued,
  [licensing.licenseRevoked.type]: licensing.licenseRevoked,
  [licensing.licenseUpgradeRequested.type]: licensing.licenseUpgradeRequested,
  [licensing.licenseUpgradeDecided.type]: licensing.licenseUpgradeDecided,
  [marketplace.listingPublished.type]: marketplace.listingPublished,
  [marketplace.marketplaceGrantCreated.type]: marketplace.marketplaceGrantCreated,
  [marketplace.marketplaceGrantRevoked.type]: marketplace.marketplaceGrantRevoked,
  [org.orgAccountCreated.type]: org.orgAccountCreated,
  [org.telemetryTransferCompleted.type]: org.telemetryTransferCompleted,
  [trustMint.trustMintRolesDeclared.type]: trustMint.trustMintRolesDeclared,
} as const satisfies Record<string, EventDefinition<string, z.ZodType>>;

export type EventType = keyof typeof eventCatalog;
export const eventTypes = Object.keys(eventCatalog) as EventType[];

/** Payload type of each event, inferred from its schema. */
export type EventMap = { [K in EventType]: z.output<(typeof eventCatalog)[K]['payload']> };
export type PlatformEvent<K extends EventType = EventType> = EventEnvelope<K, EventMap[K]>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}
