import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, runTransaction, type Tx } from '@flexgalaxy/db';

/**
 * Opens the one transaction a use case's repository writes and outbox events share, so that
 * services never hold the Prisma client themselves. A deadlock victim runs again (a device's
 * feedback and an event handler touching the same target): OTA Forge's transactions repeat
 * safely — the one outside call inside them, hawkBit's assignment, answers a repeat with the
 * action it already made.
 */
@Injectable()
export class TransactionRunner {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return runTransaction(this.prisma, work, { timeout: 60_000, maxWait: 30_000 });
  }
}
