import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { DeviceProjectionService } from '../device-projection.service.js';

/** Devices recorded before their owner account existed become visible once it does. */
@Injectable()
@OnEvents({ name: 'org.device-placement', events: ['org.account.created'] })
export class PlaceDevicesOnAccountCreatedHandler implements EventConsumer<'org.account.created'> {
  constructor(@Inject(DeviceProjectionService) private readonly projection: DeviceProjectionService) {}

  async handle(event: PlatformEvent<'org.account.created'>, tx: Tx): Promise<void> {
    await this.projection.placeDevicesOf(tx, event.payload.accountId);
  }
}
