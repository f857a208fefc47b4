import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, type AuthConfig } from '@flexgalaxy/auth';
import { DatabaseModule, type DatabaseConfig } from '@flexgalaxy/db';
import { EventsModule, type EventsConfig } from '@flexgalaxy/events';
import { HealthController } from '../observability/health.controller.js';

export interface ServiceRootOptions {
  database: DatabaseConfig;
  events: EventsConfig;
  auth: AuthConfig;
  /** The service modules (and adapters) this process runs. */
  imports: DynamicModule['imports'];
}

/** What every process has under its services: database, event bus, token validation, /health. */
@Module({})
export class ServiceRootModule {
  static forRoot(options: ServiceRootOptions): DynamicModule {
    return {
      module: ServiceRootModule,
      imports: [
        DatabaseModule.forRoot(options.database),
        EventsModule.forRoot(options.events),
        AuthModule.forRoot(options.auth),
        ...(options.imports ?? []),
      ],
      controllers: [HealthController],
    };
  }
}
