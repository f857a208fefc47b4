import {
  applyDecorators,
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth } from '@nestjs/swagger';
import { JwtAuthGuard, PermissionDeniedError, UnauthenticatedError, type Principal } from '@flexgalaxy/auth';
import { DomainError } from '@flexgalaxy/contracts';
import { effectivePermissions } from '../subscriptions/domain/roles.js';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository.js';

const ENTITLEMENT_RULE = Symbol('TRUST_MINT_ENTITLEMENT_RULE');

interface EntitlementRule {
  anyOf: readonly string[];
  /** Device-facing routes: a caller outside any boundary goes on, and the service checks it is the device. */
  devices: boolean;
}

/**
 * Who is calling, as TrustMint sees it: the principal, and what it may do here.
 * - `account`: a subscriber; `effective` = its account's boundary ∩ its token's permissions;
 * - `admin`: a platform admin, who passes every check;
 * - `device`: a caller without an entitling boundary on a device-facing route; the service accepts
 *   it only as the device itself (the M2M client named after the device).
 */
export interface Entitlement {
  principal: Principal;
  kind: 'account' | 'admin' | 'device';
  effective: ReadonlySet<string>;
}

/** The account has not subscribed to TrustMint, so it has no permission boundary yet. */
export class NotSubscribedError extends DomainError {
  readonly code = 'TRUST_MINT.NOT_SUBSCRIBED';
  readonly kind = 'forbidden' as const;

  constructor() {
    super('the account has not subscribed to TrustMint (PUT /entitlements/v1/subscription)');
  }
}

/** seed 001: a route passes when the caller's boundary ∩ token holds one of `anyOf` (platform admins always). */
@Injectable()
export class BoundaryGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<EntitlementRule | undefined>(ENTITLEMENT_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<{ user?: Principal; entitlement?: Entitlement }>();
    const principal = request.user;
    if (!principal) throw new UnauthenticatedError('missing or invalid bearer token');
    if (principal.isPlatformAdmin) {
      request.entitlement = { principal, kind: 'admin', effective: principal.permissions };
      return true;
    }
    const subscription = await this.subscriptions.findOf(principal.accountId);
    const effective = effectivePermissions(subscription?.permissions ?? [], principal.permissions);
    const anyOf = rule?.anyOf ?? [];
    if (anyOf.some((permission) => effective.has(permission))) {
      request.entitlement = { principal, kind: 'account', effective };
      return true;
    }
    if (rule?.devices) {
      request.entitlement = { principal, kind: 'device', effective };
      return true;
    }
    if (anyOf.length === 0) {
      request.entitlement = { principal, kind: 'account', effective };
      return true;
    }
    if (!subscription) throw new NotSubscribedError();
    throw new PermissionDeniedError(anyOf.join(' | '));
  }
}

/** Requires a bearer token and one of `anyOf` within the caller's TrustMint boundary. */
export function Entitled(...anyOf: string[]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(ENTITLEMENT_RULE, { anyOf, devices: false } satisfies EntitlementRule),
    UseGuards(JwtAuthGuard, BoundaryGuard),
    ApiBearerAuth(),
  );
}

/** Like {@link Entitled}, but the device itself (its M2M token) may call too; the service checks which device. */
export function EntitledOrDevice(...anyOf: string[]): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(ENTITLEMENT_RULE, { anyOf, devices: true } satisfies EntitlementRule),
    UseGuards(JwtAuthGuard, BoundaryGuard),
    ApiBearerAuth(),
  );
}

/** The caller's {@link Entitlement} (only on routes behind @Entitled / @EntitledOrDevice). */
export const CurrentEntitlement = createParamDecorator((_data: unknown, context: ExecutionContext): Entitlement => {
  const entitlement = context.switchToHttp().getRequest<{ entitlement?: Entitlement }>().entitlement;
  if (!entitlement) throw new UnauthenticatedError('missing or invalid bearer token');
  return entitlement;
});

/** Whether the entitlement holds one of the permissions (platform admins hold all). */
export function holdsAny(entitlement: Entitlement, ...permissions: string[]): boolean {
  return entitlement.kind === 'admin' || permissions.some((permission) => entitlement.effective.has(permission));
}
