import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, PLATFORM_ADMIN_PERMISSION, type Principal } from '@flexgalaxy/auth';
import { Endpoint } from '@flexgalaxy/service-kit';
import { OrgPermission } from '../org.permissions.js';
import { toPageRequest } from '@flexgalaxy/service-kit';
import {
  accountIdParamsSchema,
  accountPageResponseSchema,
  accountResponseSchema,
  createAccountBodySchema,
  createChildAccountBodySchema,
  listAccountsQuerySchema,
  toAccountPageResponse,
  toAccountResponse,
  type AccountIdParams,
  type AccountPageResponse,
  type AccountResponse,
  type CreateAccountBody,
  type CreateChildAccountBody,
  type ListAccountsQuery,
} from './accounts.dto.js';
import { AccountsService } from './accounts.service.js';

@ApiTags('accounts')
@Controller('org/v1/accounts')
export class AccountsController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Post()
  @Authenticated(PLATFORM_ADMIN_PERMISSION)
  @Endpoint({
    summary: 'Create a top-level developer, maker or standalone end-user account (platform admins)',
    body: createAccountBodySchema,
    response: accountResponseSchema,
    status: 201,
  })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateAccountBody): Promise<AccountResponse> {
    return toAccountResponse(await this.accounts.createTopLevel(principal, body));
  }

  @Get()
  @Authenticated(OrgPermission.accountsRead)
  @Endpoint({
    summary: "The caller's account and its descendants",
    query: listAccountsQuerySchema,
    response: accountPageResponseSchema,
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAccountsQuery,
  ): Promise<AccountPageResponse> {
    return toAccountPageResponse(await this.accounts.list(principal, toPageRequest(query)));
  }

  @Get(':id')
  @Authenticated(OrgPermission.accountsRead)
  @Endpoint({
    summary: 'One account the caller may see',
    params: accountIdParamsSchema,
    response: accountResponseSchema,
  })
  async get(@CurrentPrincipal() principal: Principal, @Param() params: AccountIdParams): Promise<AccountResponse> {
    return toAccountResponse(await this.accounts.get(principal, params.id));
  }

  @Post(':id/children')
  @Authenticated(OrgPermission.accountsWrite)
  @Endpoint({
    summary: 'Create a member under a maker, or an end user under a member (the parent itself, or a platform admin)',
    params: accountIdParamsSchema,
    body: createChildAccountBodySchema,
    response: accountResponseSchema,
    status: 201,
  })
  async createChild(
    @CurrentPrincipal() principal: Principal,
    @Param() params: AccountIdParams,
    @Body() body: CreateChildAccountBody,
  ): Promise<AccountResponse> {
    return toAccountResponse(await this.accounts.createChild(principal, params.id, body));
  }

  @Get(':id/children')
  @Authenticated(OrgPermission.accountsRead)
  @Endpoint({
    summary: 'Direct children of an account the caller may see',
    params: accountIdParamsSchema,
    query: listAccountsQuerySchema,
    response: accountPageResponseSchema,
  })
  async listChildren(
    @CurrentPrincipal() principal: Principal,
    @Param() params: AccountIdParams,
    @Query() query: ListAccountsQuery,
  ): Promise<AccountPageResponse> {
    return toAccountPageResponse(await this.accounts.listChildren(principal, params.id, toPageRequest(query)));
  }
}
