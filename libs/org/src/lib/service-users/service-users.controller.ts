import { Body, Controller, Delete, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { OrgPermission } from '../org.permissions.js';
import { toPageRequest } from '@flexgalaxy/service-kit';
import {
  accountIdParamsSchema,
  createServiceUserBodySchema,
  listServiceUsersQuerySchema,
  serviceUserCredentialsResponseSchema,
  serviceUserPageResponseSchema,
  serviceUserParamsSchema,
  toServiceUserCredentialsResponse,
  toServiceUserPageResponse,
  type AccountIdParams,
  type CreateServiceUserBody,
  type ListServiceUsersQuery,
  type ServiceUserCredentialsResponse,
  type ServiceUserPageResponse,
  type ServiceUserParams,
} from './service-users.dto.js';
import { ServiceUsersService } from './service-users.service.js';

@ApiTags('service-users')
@Controller('org/v1/accounts/:id/service-users')
export class ServiceUsersController {
  constructor(@Inject(ServiceUsersService) private readonly serviceUsers: ServiceUsersService) {}

  @Post()
  @Authenticated(OrgPermission.serviceUsersWrite)
  @Endpoint({
    summary: "Create a service user for the caller's own account; the secret is shown this once",
    params: accountIdParamsSchema,
    body: createServiceUserBodySchema,
    response: serviceUserCredentialsResponseSchema,
    status: 201,
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param() params: AccountIdParams,
    @Body() body: CreateServiceUserBody,
  ): Promise<ServiceUserCredentialsResponse> {
    return toServiceUserCredentialsResponse(await this.serviceUsers.create(principal, params.id, body));
  }

  @Get()
  @Authenticated(OrgPermission.serviceUsersRead)
  @Endpoint({
    summary: "An account's service users (never their secrets)",
    params: accountIdParamsSchema,
    query: listServiceUsersQuerySchema,
    response: serviceUserPageResponseSchema,
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param() params: AccountIdParams,
    @Query() query: ListServiceUsersQuery,
  ): Promise<ServiceUserPageResponse> {
    return toServiceUserPageResponse(await this.serviceUsers.list(principal, params.id, toPageRequest(query)));
  }

  @Post(':clientId/rotate')
  @Authenticated(OrgPermission.serviceUsersWrite)
  @Endpoint({
    summary: 'Issue a new secret (shown this once); the old one stops working',
    params: serviceUserParamsSchema,
    response: serviceUserCredentialsResponseSchema,
    status: 200,
  })
  async rotate(
    @CurrentPrincipal() principal: Principal,
    @Param() params: ServiceUserParams,
  ): Promise<ServiceUserCredentialsResponse> {
    return toServiceUserCredentialsResponse(await this.serviceUsers.rotate(principal, params.id, params.clientId));
  }

  @Delete(':clientId')
  @Authenticated(OrgPermission.serviceUsersWrite)
  @Endpoint({
    summary: 'Delete a service user; its credentials stop working',
    params: serviceUserParamsSchema,
    status: 204,
  })
  async delete(@CurrentPrincipal() principal: Principal, @Param() params: ServiceUserParams): Promise<void> {
    await this.serviceUsers.delete(principal, params.id, params.clientId);
  }
}
