import { Body, Controller, Delete, Get, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { OtaPermission } from '../ota-forge.permissions.js';
import {
  createPolicyBodySchema,
  patchPolicyBodySchema,
  policyIdParamsSchema,
  policyListResponseSchema,
  policyResponseSchema,
  toPolicyResponse,
  type CreatePolicyBody,
  type PatchPolicyBody,
  type PolicyIdParams,
  type PolicyResponse,
} from './policies.dto.js';
import { PoliciesService } from './policies.service.js';

@ApiTags('ota-policies')
@Controller('ota/v1/policies')
export class PoliciesController {
  constructor(@Inject(PoliciesService) private readonly policies: PoliciesService) {}

  @Post()
  @Authenticated(OtaPermission.write)
  @Endpoint({
    summary: 'Create a rollout policy; targets already there that match get their actions now',
    body: createPolicyBodySchema,
    response: policyResponseSchema,
    status: 201,
  })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePolicyBody): Promise<PolicyResponse> {
    const { policy, matched } = await this.policies.create(principal, body);
    return toPolicyResponse(policy, matched);
  }

  @Get()
  @Authenticated(OtaPermission.read)
  @Endpoint({ summary: "The caller's rollout policies", response: policyListResponseSchema })
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: PolicyResponse[] }> {
    return { items: (await this.policies.list(principal)).map((policy) => toPolicyResponse(policy)) };
  }

  @Get(':id')
  @Authenticated(OtaPermission.read)
  @Endpoint({ summary: 'One rollout policy', params: policyIdParamsSchema, response: policyResponseSchema })
  async get(@CurrentPrincipal() principal: Principal, @Param() params: PolicyIdParams): Promise<PolicyResponse> {
    return toPolicyResponse(await this.policies.get(principal, params.id));
  }

  @Patch(':id')
  @Authenticated(OtaPermission.write)
  @Endpoint({
    summary: 'Change a rollout policy (a new expression or distribution set is matched again)',
    params: policyIdParamsSchema,
    body: patchPolicyBodySchema,
    response: policyResponseSchema,
  })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param() params: PolicyIdParams,
    @Body() body: PatchPolicyBody,
  ): Promise<PolicyResponse> {
    const { policy, matched } = await this.policies.update(principal, params.id, body);
    return toPolicyResponse(policy, matched);
  }

  @Delete(':id')
  @Authenticated(OtaPermission.write)
  @Endpoint({
    summary: 'Delete a rollout policy (undelivered actions are canceled)',
    params: policyIdParamsSchema,
    status: 204,
  })
  async remove(@CurrentPrincipal() principal: Principal, @Param() params: PolicyIdParams): Promise<void> {
    await this.policies.remove(principal, params.id);
  }
}
