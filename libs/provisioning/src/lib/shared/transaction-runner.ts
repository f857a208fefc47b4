import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';

/** Opens the one transaction a state change and its outbox event share. */
@Injectable()
export class TransactionRunner {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work);
  }
}
