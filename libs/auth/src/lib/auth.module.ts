import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import type { AuthConfig } from './auth.config.js';
import { AUTH_CONFIG } from './auth.tokens.js';
import { JwtAuthGuard, PermissionsGuard } from './guards.js';
import { JwtStrategy } from './jwt.strategy.js';

/** The resource-server side of identity: every service imports it once, at its root. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [PassportModule],
      providers: [{ provide: AUTH_CONFIG, useValue: config }, JwtStrategy, JwtAuthGuard, PermissionsGuard],
      exports: [AUTH_CONFIG, JwtAuthGuard, PermissionsGuard],
    };
  }
}
