import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { DeviceAdminController } from './device-admin.controller.js';
import { DeviceAdminService } from './device-admin.service.js';
import { DeviceProjectionService } from './device-projection.service.js';
import { DevicesRepository } from './devices.repository.js';
import { PlaceDevicesOnAccountCreatedHandler } from './handlers/place-devices-on-account-created.handler.js';
import { ProjectDeviceOnDeviceEventsHandler } from './handlers/project-device-on-device-events.handler.js';

/** The device ownership projection (fed by events) and DeviceAdmin's fleet view over it. */
@Module({
  imports: [AccountsModule],
  controllers: [DeviceAdminController],
  providers: [
    DevicesRepository,
    DeviceProjectionService,
    DeviceAdminService,
    ProjectDeviceOnDeviceEventsHandler,
    PlaceDevicesOnAccountCreatedHandler,
  ],
})
export class DevicesModule {}
