export { authConfigSchema, type AuthConfig } from './lib/auth.config.js';
export { PermissionDeniedError, UnauthenticatedError } from './lib/auth.errors.js';
export { AuthModule } from './lib/auth.module.js';
export { AUTH_CONFIG } from './lib/auth.tokens.js';
export { Authenticated, CurrentPrincipal, JwtAuthGuard, PermissionsGuard } from './lib/guards.js';
export { JwksKeySource } from './lib/jwks-key-source.js';
export {
  ACCOUNT_ID_CLAIM,
  PERMISSIONS_CLAIM,
  PLATFORM_ADMIN_PERMISSION,
  ROLES_CLAIM,
  type Principal,
} from './lib/principal.js';
export {
  accountPath,
  ancestorIdsOf,
  canRead,
  canWrite,
  childAccountPath,
  InvalidAccountIdError,
  isAccountPath,
  isSameOrDescendantPath,
  readScope,
  type Owner,
  type ReadScope,
  type Viewer,
} from './lib/visibility.js';
export {
  ServiceCredentialsMissingError,
  ServiceTokenSource,
  type InProcessIssuer,
  type ServiceCredentials,
} from './lib/service-token.source.js';
