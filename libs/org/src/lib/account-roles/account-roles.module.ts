import { Module } from '@nestjs/common';
import { AccountRolesService } from './account-roles.service.js';
import { ApplyIdentityRolesOnRolesDeclaredHandler } from './handlers/apply-identity-roles-on-roles-declared.handler.js';

/**
 * TrustMint's role declarations at the identity provider. Here because the org service hosts
 * identity: in the distributed shape it is the one process holding IDENTITY_PROVIDER for the
 * accounts' clients (the embedded issuer, or Keycloak's admin API).
 */
@Module({ providers: [AccountRolesService, ApplyIdentityRolesOnRolesDeclaredHandler] })
export class AccountRolesModule {}
