import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import type { AuthConfig } from './auth.config.js';
import { AUTH_CONFIG } from './auth.tokens.js';
import { JwtAuthGuard, PermissionsGuard } from './guards.js';
import { JwtStrategy } from './jwt.strategy.js';
import { ServiceTokenSource } from './service-token.source.js';

function serviceTokenSource(config: AuthConfig): ServiceTokenSource {
  const source = new ServiceTokenSource();
  if (config.SERVICE_CLIENT_ID && config.SERVICE_CLIENT_SECRET) {
    source.useCredentials({
      tokenEndpoint: config.SERVICE_TOKEN_ENDPOINT ?? `${config.OIDC_ISSUER_URL.replace(/\/$/, '')}/token`,
      clientId: config.SERVICE_CLIENT_ID,
      clientSecret: config.SERVICE_CLIENT_SECRET,
    });
  }
  return source;
}

/** The resource-server side of identity: every service imports it once, at its root. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [PassportModule],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: ServiceTokenSource, useValue: serviceTokenSource(config) },
        JwtStrategy,
        JwtAuthGuard,
        PermissionsGuard,
      ],
      exports: [AUTH_CONFIG, JwtAuthGuard, PermissionsGuard, ServiceTokenSource],
    };
  }
}
