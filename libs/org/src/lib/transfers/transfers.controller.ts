import { Body, Controller, Headers, Inject, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import type { FastifyReply } from 'fastify';
import { OrgPermission } from '../org.permissions.js';
import {
  batchTransferBodySchema,
  batchTransferResponseSchema,
  toBatchTransferResponse,
  type BatchTransferBody,
  type BatchTransferResponse,
} from './transfers.dto.js';
import { BatchTransferService } from './transfers.service.js';

@ApiTags('deviceadmin')
@Controller('deviceadmin/v1/transfers')
export class TransfersController {
  constructor(@Inject(BatchTransferService) private readonly transfers: BatchTransferService) {}

  /** 200 when every device moved, 207 (Multi-Status) when some did not: each result says why. */
  @Post()
  @Authenticated(OrgPermission.devicesWrite)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Forwarded per device as <key>:<deviceId>' })
  @Endpoint({
    summary: 'Transfer a batch of devices to an account (per-device results, partial failure reported)',
    body: batchTransferBodySchema,
    response: batchTransferResponseSchema,
    status: 200,
  })
  async transfer(
    @Headers('authorization') authorization: string,
    @Body() body: BatchTransferBody,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<BatchTransferResponse> {
    const response = toBatchTransferResponse(await this.transfers.transfer(authorization, body, idempotencyKey));
    if (response.failed > 0) void reply.status(207);
    return response;
  }
}
