import { Controller, Get, Inject, Param, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { DdiForwardRequest } from '@flexgalaxy/adapters';
import { Endpoint } from '@flexgalaxy/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OTA_FORGE_CONFIG, type OtaForgeConfig } from '../../ota-forge.config.js';
import { DdiAuthGuard, DdiTarget } from '../ddi-auth.guard.js';
import {
  ddiActionParamsSchema,
  ddiArtifactParamsSchema,
  ddiRootParamsSchema,
  type DdiActionParams,
  type DdiArtifactParams,
} from '../ddi.dto.js';
import type { PollSnapshot } from '../ddi.repository.js';
import { ddiPublicBase } from '../domain/public-base.js';
import { HawkbitDdiProxyService, type ProxiedAnswer } from './hawkbit-ddi-proxy.service.js';

/** Request headers a DDI client's request keeps on its way to hawkBit. */
const FORWARDED_HEADERS = ['authorization', 'accept', 'content-type', 'range', 'if-range', 'if-match', 'if-none-match'];

function forwarded(
  request: FastifyRequest,
  method: DdiForwardRequest['method'],
  controllerId: string,
  path: string,
  body?: unknown,
): DdiForwardRequest {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  return {
    method,
    controllerId,
    path,
    query,
    headers,
    // Fastify parsed the JSON; hawkBit gets the same document (it is re-validated there).
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  };
}

async function send(reply: FastifyReply, answer: ProxiedAnswer): Promise<void> {
  void reply.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) void reply.header(name, value);
  await reply.send(answer.body);
}

const enc = encodeURIComponent;

/**
 * hawkBit mode: the DDI paths stay ours (DdiAuthGuard authenticates first, so an unknown token
 * is refused without a request to hawkBit), and each request is forwarded to hawkBit's DDI.
 */
@ApiTags('ddi')
@ApiHeader({ name: 'Authorization', description: 'TargetToken <token>', required: true })
@Controller(':tenant/controller/v1/:controllerId')
@UseGuards(DdiAuthGuard)
export class HawkbitDdiProxyController {
  constructor(
    @Inject(HawkbitDdiProxyService) private readonly proxy: HawkbitDdiProxyService,
    @Inject(OTA_FORGE_CONFIG) private readonly config: OtaForgeConfig,
  ) {}

  private base(request: FastifyRequest): string {
    return ddiPublicBase(this.config.DDI_PUBLIC_URL, request);
  }

  @Get()
  @Endpoint({ summary: 'Poll (policy step here, then hawkBit)', params: ddiRootParamsSchema })
  async poll(
    @DdiTarget() target: PollSnapshot,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const forward = forwarded(request, 'GET', target.controllerId, '');
    await send(reply, await this.proxy.poll(target, forward, this.base(request)));
  }

  @Get('deploymentBase/:actionId')
  @Endpoint({ summary: 'The deployment to execute (hawkBit)', params: ddiActionParamsSchema })
  async deploymentBase(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiActionParams,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const forward = forwarded(request, 'GET', target.controllerId, `/deploymentBase/${params.actionId}`);
    await send(reply, await this.proxy.get(forward, this.base(request)));
  }

  @Post('deploymentBase/:actionId/feedback')
  @Endpoint({ summary: 'Deployment feedback (hawkBit, then our action)', params: ddiActionParamsSchema })
  async feedback(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiActionParams,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const path = `/deploymentBase/${params.actionId}/feedback`;
    const forward = forwarded(request, 'POST', target.controllerId, path, request.body);
    await send(reply, await this.proxy.feedback(target, forward, params.actionId, 'deploymentBase', request.body));
  }

  @Put('configData')
  @Endpoint({ summary: 'Device attributes (hawkBit, then our target)', params: ddiRootParamsSchema })
  async configData(
    @DdiTarget() target: PollSnapshot,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const forward = forwarded(request, 'PUT', target.controllerId, '/configData', request.body);
    await send(reply, await this.proxy.configData(target, forward, request.body));
  }

  @Get('cancelAction/:actionId')
  @Endpoint({ summary: 'An action hawkBit wants stopped', params: ddiActionParamsSchema })
  async cancelAction(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiActionParams,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const forward = forwarded(request, 'GET', target.controllerId, `/cancelAction/${params.actionId}`);
    await send(reply, await this.proxy.get(forward, this.base(request)));
  }

  @Post('cancelAction/:actionId/feedback')
  @Endpoint({ summary: 'Cancellation feedback (hawkBit, then our action)', params: ddiActionParamsSchema })
  async cancelFeedback(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiActionParams,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const path = `/cancelAction/${params.actionId}/feedback`;
    const forward = forwarded(request, 'POST', target.controllerId, path, request.body);
    await send(reply, await this.proxy.feedback(target, forward, params.actionId, 'cancelAction', request.body));
  }

  @Get('installedBase/:actionId')
  @Endpoint({ summary: 'The last installed deployment (hawkBit)', params: ddiActionParamsSchema })
  async installedBase(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiActionParams,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const forward = forwarded(request, 'GET', target.controllerId, `/installedBase/${params.actionId}`);
    await send(reply, await this.proxy.get(forward, this.base(request)));
  }

  @Get('softwaremodules/:moduleId/artifacts/:filename')
  @Endpoint({
    summary: 'Artifact download or .MD5SUM from hawkBit (ranges passed through)',
    params: ddiArtifactParamsSchema,
  })
  async download(
    @DdiTarget() target: PollSnapshot,
    @Param() params: DdiArtifactParams,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const path = `/softwaremodules/${params.moduleId}/artifacts/${enc(params.filename)}`;
    const forward = forwarded(request, 'GET', target.controllerId, path);
    await send(reply, await this.proxy.download(target, forward, request.url));
  }
}
