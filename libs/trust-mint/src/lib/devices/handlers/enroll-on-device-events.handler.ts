import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { EnrollmentService } from '../enrollment.service.js';

const DEVICE_EVENTS = [
  'device.provisioned',
  'device.transferred',
  'device.suspended',
  'device.reactivated',
  'device.decommissioned',
] as const;
type DeviceEventType = (typeof DEVICE_EVENTS)[number];

// One consumer for the device lifecycle, so a decommissioning is never applied before the
// provisioning it ends (separate offsets would allow it on the in-process relay).
@Injectable()
@OnEvents({ name: 'trust-mint.devices', events: DEVICE_EVENTS })
export class EnrollOnDeviceEventsHandler implements EventConsumer<DeviceEventType> {
  constructor(@Inject(EnrollmentService) private readonly enrollment: EnrollmentService) {}

  async handle(event: PlatformEvent<DeviceEventType>, tx: Tx): Promise<void> {
    switch (event.type) {
      case 'device.provisioned':
        return this.enrollment.onProvisioned(tx, event as PlatformEvent<'device.provisioned'>);
      case 'device.transferred':
        return this.enrollment.onTransferred(tx, event as PlatformEvent<'device.transferred'>);
      case 'device.decommissioned':
        return this.enrollment.onDecommissioned(tx, event as PlatformEvent<'device.decommissioned'>);
      case 'device.suspended':
        return this.enrollment.onStateChanged(tx, event.payload.deviceId, 'SUSPENDED', event.occurredAt);
      case 'device.reactivated':
        return this.enrollment.onStateChanged(tx, event.payload.deviceId, 'ACTIVE', event.occurredAt);
    }
  }
}
