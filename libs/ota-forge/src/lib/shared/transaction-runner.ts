import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';

/**
 * Opens the one transaction a use case's repository writes and outbox events share, so that
 * services never hold the Prisma client themselves.
 */
@Injectable()
export class TransactionRunner {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work, { timeout: 60_000, maxWait: 30_000 });
  }
}
