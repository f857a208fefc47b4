import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { DevicesRepository } from './devices.repository.js';
import {
  nextStateAfter,
  ownershipFrom,
  type OwnershipEventType,
  type StateEventType,
} from './domain/device-projection.js';

/**
 * Keeps the device ownership projection in step with device.* events.
 *
 * Ordering, and why it is safe:
 * - One device's events arrive in order (one consumer; Kafka keys them by device id), but an event
 *   may be redelivered, and a replay may bring an old one back. Ownership events overwrite the
 *   whole row, and only if they are not older than the newest applied (`last_event_at`); state
 *   events are no-ops when repeated. Both are therefore idempotent without the processed-event
 *   store, which the events module adds on top.
 * - A device may name an account org does not know yet (provisioning heard of it first, or the
 *   events of two producers interleave). The device is recorded anyway, with its owner account id
 *   and a NULL path, which no subtree matches: it is invisible rather than misplaced. When the
 *   account is created, org.account.created fills the path in (placeDevicesOf). A per-account
 *   advisory lock orders the two writers, so neither can miss the other's commit.
 */
@Injectable()
export class DeviceProjectionService {
  private readonly logger = new Logger(DeviceProjectionService.name);

  constructor(@Inject(DevicesRepository) private readonly devices: DevicesRepository) {}

  async recordOwnership(tx: Tx, event: PlatformEvent<OwnershipEventType>): Promise<void> {
    const applied = await this.devices.recordOwnership(tx, ownershipFrom(event));
    if (!applied) this.logger.debug({ eventId: event.id, type: event.type }, 'older than the device row; skipped');
  }

  async recordStateChange(tx: Tx, event: PlatformEvent<StateEventType>): Promise<void> {
    const current = await this.devices.lockState(tx, event.payload.deviceId);
    if (!current) {
      // Per-device ordering means device.provisioned came first unless it was dead-lettered;
      // there is no owner to record, so the event is noted and dropped.
      this.logger.warn(
        { eventId: event.id, type: event.type, deviceId: event.payload.deviceId },
        'state change for an unknown device',
      );
      return;
    }
    const next = nextStateAfter(current, event.type, new Date(event.occurredAt));
    if (next) await this.devices.saveState(tx, event.payload.deviceId, next);
  }

  /** Gives the devices of a newly created account the path that makes them visible. */
  async placeDevicesOf(tx: Tx, accountId: string): Promise<void> {
    const placed = await this.devices.placeDevicesOf(tx, accountId);
    if (placed > 0) this.logger.log({ accountId, placed }, 'devices placed under their new account');
  }
}
