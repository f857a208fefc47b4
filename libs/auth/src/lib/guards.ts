import {
  applyDecorators,
  createParamDecorator,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiBearerAuth } from '@nestjs/swagger';
import { PermissionDeniedError, UnauthenticatedError } from './auth.errors.js';
import { JWT_STRATEGY } from './jwt.strategy.js';
import type { Principal } from './principal.js';

const REQUIRED_PERMISSIONS = Symbol('REQUIRED_PERMISSIONS');

/** Rejects any request without a valid bearer token with 401 (the one error body). */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  override handleRequest<T>(error: unknown, principal: T | false): T {
    if (error instanceof UnauthenticatedError) throw error;
    if (error || !principal) throw new UnauthenticatedError('missing or invalid bearer token');
    return principal;
  }
}

/** Checks the permissions named by @Authenticated(...); platform admins hold every permission. */
@Injectable()
export class PermissionsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_PERMISSIONS, [
      context.getHandler(),
      context.getClass(),
    ]);
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (!principal) throw new UnauthenticatedError('missing or invalid bearer token');
    if (principal.isPlatformAdmin) return true;
    const missing = required?.find((permission) => !principal.permissions.has(permission));
    if (missing) throw new PermissionDeniedError(missing);
    return true;
  }
}

/** Requires a valid bearer token and, optionally, every listed permission. */
export function Authenticated(...permissions: string[]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_PERMISSIONS, permissions),
    UseGuards(JwtAuthGuard, PermissionsGuard),
    ApiBearerAuth(),
  );
}

/** The authenticated caller (only on routes behind @Authenticated). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
  if (!principal) throw new UnauthenticatedError('missing or invalid bearer token');
  return principal;
});
