import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '@flexgalaxy/db';

/** Opens the one transaction a use case's writes and its outbox events share. */
@Injectable()
export class MarketplaceTransactions {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work);
  }
}
