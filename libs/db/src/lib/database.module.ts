import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { DatabaseConfig } from './database.config.js';
import { DatabaseConnection } from './database-connection.js';
import { applyMigrations } from './migrator.js';
import { MIGRATIONS_DIRECTORY } from './migrations-directory.js';
import { PrismaService } from './prisma.service.js';

export const DATABASE_CONFIG = Symbol('DATABASE_CONFIG');

/** Opens the database once per process (before any module uses it) and migrates it if asked. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DatabaseConnection) private readonly connection: DatabaseConnection) {}

  static forRoot(config: DatabaseConfig): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_CONFIG, useValue: config },
        {
          provide: DatabaseConnection,
          useFactory: async () => {
            const connection = await DatabaseConnection.open(config);
            if (config.DATABASE_MIGRATE_ON_START) await applyMigrations(connection.sql, MIGRATIONS_DIRECTORY);
            return connection;
          },
        },
        {
          provide: PrismaService,
          useFactory: (connection: DatabaseConnection) => new PrismaService(connection),
          inject: [DatabaseConnection],
        },
      ],
      exports: [DatabaseConnection, PrismaService, DATABASE_CONFIG],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
