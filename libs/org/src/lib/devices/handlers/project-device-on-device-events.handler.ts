import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { DeviceProjectionService } from '../device-projection.service.js';
import {
  isEventOf,
  OWNERSHIP_EVENTS,
  STATE_EVENTS,
  type OwnershipEventType,
  type StateEventType,
} from '../domain/device-projection.js';

type DeviceEventType = OwnershipEventType | StateEventType;

// One consumer for all six types, not one per type: separate offsets would let a suspension
// overtake the provisioning it follows.
@Injectable()
@OnEvents({ name: 'org.device-ownership', events: [...OWNERSHIP_EVENTS, ...STATE_EVENTS] })
export class ProjectDeviceOnDeviceEventsHandler implements EventConsumer<DeviceEventType> {
  constructor(@Inject(DeviceProjectionService) private readonly projection: DeviceProjectionService) {}

  async handle(event: PlatformEvent<DeviceEventType>, tx: Tx): Promise<void> {
    if (isEventOf(event, OWNERSHIP_EVENTS)) await this.projection.recordOwnership(tx, event);
    else if (isEventOf(event, STATE_EVENTS)) await this.projection.recordStateChange(tx, event);
  }
}
