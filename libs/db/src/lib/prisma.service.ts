import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { DatabaseConnection } from './database-connection.js';

/** A Prisma interactive transaction; repositories and the outbox take it to share one commit. */
export type Tx = Prisma.TransactionClient;

/** The Prisma client over the driver adapter the config picked (pg or PGlite). */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(readonly connection: DatabaseConnection) {
    super({ adapter: connection.adapter });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}

/** Postgres' unique_violation, as Prisma reports it through a driver adapter. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

export { Prisma };
