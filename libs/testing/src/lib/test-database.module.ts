import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DatabaseConnection, PrismaService } from '@flexgalaxy/db';
import type { TestDatabase } from './test-database.js';

/**
 * Stands in for DatabaseModule over an already open test database (DatabaseModule would open a
 * new one), so an app can be closed and booted again on the same data.
 */
@Global()
@Module({})
export class TestDatabaseModule {
  static over(db: Pick<TestDatabase, 'connection'>): DynamicModule {
    return {
      module: TestDatabaseModule,
      providers: [
        { provide: DatabaseConnection, useValue: db.connection },
        // A client per app: closing the app disconnects it, never the shared connection.
        { provide: PrismaService, useFactory: () => new PrismaService(db.connection) },
      ],
      exports: [DatabaseConnection, PrismaService],
    };
  }
}
