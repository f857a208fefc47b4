import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy, type SecretOrKeyProvider } from 'passport-jwt';
import { z } from 'zod';
import { AUTH_CONFIG } from './auth.tokens.js';
import type { AuthConfig } from './auth.config.js';
import { UnauthenticatedError } from './auth.errors.js';
import { JwksKeySource } from './jwks-key-source.js';
import {
  ACCOUNT_ID_CLAIM,
  PERMISSIONS_CLAIM,
  PLATFORM_ADMIN_PERMISSION,
  ROLES_CLAIM,
  type Principal,
} from './principal.js';

export const JWT_STRATEGY = 'flexgalaxy-jwt';

const claimsSchema = z.looseObject({
  sub: z.string().min(1),
  [ACCOUNT_ID_CLAIM]: z.string().min(1),
  [PERMISSIONS_CLAIM]: z.array(z.string()).default([]),
  [ROLES_CLAIM]: z.array(z.string()).default([]),
});

/**
 * Validates bearer JWTs against the issuer's JWKS with passport-jwt: signature (ES256 / RS256
 * only, so `alg: none` and HMAC confusion are refused), issuer, audience and expiry. The same
 * code serves the embedded issuer and Keycloak; only OIDC_ISSUER_URL differs.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(@Inject(AUTH_CONFIG) config: AuthConfig) {
    const keys = new JwksKeySource(config.OIDC_ISSUER_URL, config.OIDC_JWKS_URL);
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      issuer: config.OIDC_ISSUER_URL,
      audience: config.OIDC_AUDIENCE,
      algorithms: ['ES256', 'RS256'],
      ignoreExpiration: false,
      // The cached KeyObject itself, not its PEM: jsonwebtoken parses a PEM into a new key on every
      // verification (a twentieth of a batch transfer's CPU went there) and uses a KeyObject as is.
      // passport-jwt hands the key to jsonwebtoken unchanged; its types just predate KeyObject.
      secretOrKeyProvider: ((_request: unknown, rawJwt: string, done: (error: unknown, key?: KeyObject) => void) => {
        const decoded = jwt.decode(rawJwt, { complete: true });
        keys
          .getKey(decoded?.header.kid)
          .then((key) => done(key ? null : new UnauthenticatedError('unknown signing key'), key))
          .catch(() => done(new UnauthenticatedError('issuer keys unavailable')));
      }) as unknown as SecretOrKeyProvider,
    });
  }

  validate(payload: unknown): Principal {
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new UnauthenticatedError('token lacks account or permission claims');
    const permissions = new Set(claims.data[PERMISSIONS_CLAIM]);
    return {
      subject: claims.data.sub,
      accountId: claims.data[ACCOUNT_ID_CLAIM],
      permissions,
      roles: new Set(claims.data[ROLES_CLAIM]),
      isPlatformAdmin: permissions.has(PLATFORM_ADMIN_PERMISSION),
    };
  }
}
