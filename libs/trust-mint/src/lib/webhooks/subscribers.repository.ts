import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import type { WebhookSubscriber } from './domain/webhook.js';

type SubscriberRow = Prisma.TrustMintWebhookSubscriberGetPayload<object>;

function toSubscriber(row: SubscriberRow): WebhookSubscriber {
  return {
    id: row.id,
    accountId: row.accountId,
    url: row.url,
    eventTypes: row.eventTypes,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Who may see a subscriber: its account, or everyone (platform admins). */
export type SubscriberScope = { kind: 'all' } | { kind: 'account'; accountId: string };

function scoped(scope: SubscriberScope): Prisma.TrustMintWebhookSubscriberWhereInput {
  return scope.kind === 'all' ? { deletedAt: null } : { accountId: scope.accountId, deletedAt: null };
}

/** The only door to `trust_mint.webhook_subscribers`; deleted subscribers are invisible. */
@Injectable()
export class SubscribersRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async create(input: {
    accountId: string;
    url: string;
    eventTypes: string[];
    description: string;
    secret: string;
  }): Promise<WebhookSubscriber> {
    const row = await this.prisma.trustMintWebhookSubscriber.create({ data: { id: randomUUID(), ...input } });
    return toSubscriber(row);
  }

  async findVisible(scope: SubscriberScope, id: string): Promise<WebhookSubscriber | null> {
    const row = await this.prisma.trustMintWebhookSubscriber.findFirst({ where: { AND: [scoped(scope), { id }] } });
    return row ? toSubscriber(row) : null;
  }

  async listVisible(scope: SubscriberScope, accountId?: string): Promise<WebhookSubscriber[]> {
    const rows = await this.prisma.trustMintWebhookSubscriber.findMany({
      where: { AND: [scoped(scope), ...(accountId ? [{ accountId }] : [])] },
      orderBy: { createdAt: 'asc' },
      take: 500,
    });
    return rows.map(toSubscriber);
  }

  async update(
    scope: SubscriberScope,
    id: string,
    changes: { url?: string; eventTypes?: string[]; description?: string; enabled?: boolean },
  ): Promise<WebhookSubscriber | null> {
    const touched = await this.prisma.trustMintWebhookSubscriber.updateMany({
      where: { AND: [scoped(scope), { id }] },
      data: {
        ...changes,
        // Re-enabling by hand clears why it was disabled (e.g. an endpoint that answered 410).
        ...(changes.enabled === true ? { disabledReason: null } : {}),
        ...(changes.enabled === false ? { disabledReason: 'disabled by the account' } : {}),
      },
    });
    return touched.count === 0 ? null : this.findVisible(scope, id);
  }

  /** Soft delete: its delivery log stays readable to the platform's audit. */
  async delete(scope: SubscriberScope, id: string): Promise<boolean> {
    const touched = await this.prisma.trustMintWebhookSubscriber.updateMany({
      where: { AND: [scoped(scope), { id }] },
      data: { deletedAt: new Date(), enabled: false, disabledReason: 'deleted' },
    });
    return touched.count > 0;
  }

  /** Disables an endpoint that asked not to be called again (410 Gone). */
  async disable(id: string, reason: string): Promise<void> {
    await this.prisma.trustMintWebhookSubscriber.updateMany({
      where: { id, enabled: true },
      data: { enabled: false, disabledReason: reason },
    });
  }

  /** Active subscribers of an account for one event type, inside the caller's transaction. */
  async findActiveFor(tx: Tx, accountId: string, eventType: string): Promise<{ id: string }[]> {
    return tx.trustMintWebhookSubscriber.findMany({
      where: { accountId, enabled: true, deletedAt: null, eventTypes: { has: eventType } },
      select: { id: true },
    });
  }
}
