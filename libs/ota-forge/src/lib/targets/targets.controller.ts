import { Body, Controller, Delete, Get, Inject, Param, Patch, Put, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, PLATFORM_ADMIN_PERMISSION } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import type { FastifyReply } from 'fastify';
import {
  controllerIdParamsSchema,
  patchTargetBodySchema,
  putTargetBodySchema,
  targetResponseSchema,
  toTargetResponse,
  type ControllerIdParams,
  type PatchTargetBody,
  type PutTargetBody,
  type TargetResponse,
} from './targets.dto.js';
import { TargetsService } from './targets.service.js';

/** Services provision targets with their platform-admin service token (ServiceTokenSource). */
@ApiTags('ota-targets')
@Controller('ota/v1/targets')
@Authenticated(PLATFORM_ADMIN_PERMISSION)
export class TargetsController {
  constructor(@Inject(TargetsService) private readonly targets: TargetsService) {}

  @Put(':controllerId')
  @Endpoint({
    summary: 'Create or replace a target (201 created, 200 replaced)',
    params: controllerIdParamsSchema,
    body: putTargetBodySchema,
    response: targetResponseSchema,
  })
  async put(
    @Param() params: ControllerIdParams,
    @Body() body: PutTargetBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TargetResponse> {
    const { target, created } = await this.targets.put(params.controllerId, body);
    void reply.status(created ? 201 : 200);
    return toTargetResponse(target);
  }

  @Patch(':controllerId')
  @Endpoint({
    summary: 'Change the owner, token, attributes (merged) or enabled flag of a target',
    params: controllerIdParamsSchema,
    body: patchTargetBodySchema,
    response: targetResponseSchema,
  })
  async patch(@Param() params: ControllerIdParams, @Body() body: PatchTargetBody): Promise<TargetResponse> {
    return toTargetResponse(await this.targets.patch(params.controllerId, body));
  }

  @Delete(':controllerId')
  @Endpoint({
    summary: 'Remove a target (its token is refused from now on)',
    params: controllerIdParamsSchema,
    status: 204,
  })
  async delete(@Param() params: ControllerIdParams): Promise<void> {
    await this.targets.delete(params.controllerId);
  }

  @Get(':controllerId')
  @Endpoint({ summary: 'One target', params: controllerIdParamsSchema, response: targetResponseSchema })
  async get(@Param() params: ControllerIdParams): Promise<TargetResponse> {
    return toTargetResponse(await this.targets.get(params.controllerId));
  }
}
