import { Body, Controller, Delete, Get, Headers, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { Authenticated, canWrite, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import type { FastifyRequest } from 'fastify';
import { ClientCertificateSource } from '../pki/client-certificate.js';
import { ProvisioningPermission } from '../provisioning.permissions.js';
import { DeviceAccess } from './device-access.js';
import {
  deviceIdParamsSchema,
  deviceResponseSchema,
  deviceStatusResponseSchema,
  enrollBodySchema,
  enrollmentResponseSchema,
  stateChangeBodySchema,
  toDeviceResponse,
  toEnrollRequest,
  transferBodySchema,
  transferResponseSchema,
  type DeviceIdParams,
  type DeviceResponse,
  type EnrollBody,
  type StateChangeBody,
  type TransferBody,
} from './devices.dto.js';
import { DevicesRepository } from './devices.repository.js';
import type { EnrollmentResult } from './enrollment.types.js';
import { ChangeDeviceStateUseCase, type DeviceStatus } from './use-cases/change-device-state.use-case.js';
import { EnrollDeviceUseCase } from './use-cases/enroll-device.use-case.js';
import { RotateCredentialsUseCase } from './use-cases/rotate-credentials.use-case.js';
import { TransferDeviceUseCase, type TransferResult } from './use-cases/transfer-device.use-case.js';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Replays the first result on retry',
};

@ApiTags('provisioning')
@Controller('provisioning/v1')
export class DevicesController {
  constructor(
    @Inject(EnrollDeviceUseCase) private readonly enrollment: EnrollDeviceUseCase,
    @Inject(TransferDeviceUseCase) private readonly transfers: TransferDeviceUseCase,
    @Inject(RotateCredentialsUseCase) private readonly rotation: RotateCredentialsUseCase,
    @Inject(ChangeDeviceStateUseCase) private readonly states: ChangeDeviceStateUseCase,
    @Inject(DeviceAccess) private readonly access: DeviceAccess,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(ClientCertificateSource) private readonly certificates: ClientCertificateSource,
  ) {}

  /** Devices authenticate with their identity proof (mTLS, claim or pre-shared token), not a bearer token. */
  @Post('enroll')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @Endpoint({
    summary: 'Enroll or re-provision a device (factory, assembly, field)',
    body: enrollBodySchema,
    response: enrollmentResponseSchema,
    status: 201,
  })
  enroll(
    @Req() request: FastifyRequest,
    @Body() body: EnrollBody,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<EnrollmentResult> {
    return this.enrollment.execute(toEnrollRequest(body), this.certificates.from(request), idempotencyKey);
  }

  @Get('devices/:id')
  @Authenticated(ProvisioningPermission.devicesRead)
  @Endpoint({
    summary: 'Provisioning status and full history',
    params: deviceIdParamsSchema,
    response: deviceResponseSchema,
  })
  async get(@CurrentPrincipal() principal: Principal, @Param() params: DeviceIdParams): Promise<DeviceResponse> {
    const device = await this.access.readable(principal, params.id);
    return toDeviceResponse(device, await this.devices.history(device.id), !canWrite(principal, device.accountId));
  }

  @Post('devices/:id/transfer')
  @Authenticated(ProvisioningPermission.devicesWrite)
  @ApiHeader(IDEMPOTENCY_HEADER)
  @Endpoint({
    summary: 'Transfer a device to another account (all credentials rotated)',
    status: 200,
    params: deviceIdParamsSchema,
    body: transferBodySchema,
    response: transferResponseSchema,
  })
  transfer(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DeviceIdParams,
    @Body() body: TransferBody,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<TransferResult> {
    return this.transfers.execute(principal, params.id, body, idempotencyKey);
  }

  @Post('devices/:id/rotate-credentials')
  @Authenticated(ProvisioningPermission.devicesWrite)
  @Endpoint({
    summary: 'Rotate MQTT, DDI and M2M credentials (the old ones are refused at once)',
    status: 200,
    params: deviceIdParamsSchema,
    response: enrollmentResponseSchema,
  })
  rotate(@CurrentPrincipal() principal: Principal, @Param() params: DeviceIdParams): Promise<EnrollmentResult> {
    return this.rotation.execute(principal, params.id);
  }

  @Post('devices/:id/suspend')
  @Authenticated(ProvisioningPermission.devicesWrite)
  @Endpoint({
    summary: 'Suspend a device: every credential disabled, not destroyed',
    status: 200,
    params: deviceIdParamsSchema,
    body: stateChangeBodySchema,
    response: deviceStatusResponseSchema,
  })
  suspend(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DeviceIdParams,
    @Body() body: StateChangeBody,
  ): Promise<DeviceStatus> {
    return this.states.suspend(principal, params.id, body.reason ?? null);
  }

  @Post('devices/:id/reactivate')
  @Authenticated(ProvisioningPermission.devicesWrite)
  @Endpoint({
    summary: 'Reactivate a suspended device with the credentials it had',
    status: 200,
    params: deviceIdParamsSchema,
    body: stateChangeBodySchema,
    response: deviceStatusResponseSchema,
  })
  reactivate(
    @CurrentPrincipal() principal: Principal,
    @Param() params: DeviceIdParams,
    @Body() body: StateChangeBody,
  ): Promise<DeviceStatus> {
    return this.states.reactivate(principal, params.id, body.reason ?? null);
  }

  @Delete('devices/:id')
  @Authenticated(ProvisioningPermission.devicesWrite)
  @Endpoint({
    summary: 'Decommission a device: removed from every system, credentials revoked, telemetry archived',
    params: deviceIdParamsSchema,
    response: deviceStatusResponseSchema,
  })
  decommission(@CurrentPrincipal() principal: Principal, @Param() params: DeviceIdParams): Promise<DeviceStatus> {
    return this.states.decommission(principal, params.id, null);
  }
}
