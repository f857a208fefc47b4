import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import { pageOf, type Page, type PageRequest } from '@flexgalaxy/service-kit';
import type {
  AttemptOutcome,
  ClaimedDelivery,
  DeliveryStatus,
  WebhookAttempt,
  WebhookDelivery,
  WebhookMessage,
} from './domain/webhook.js';
import type { SubscriberScope } from './subscribers.repository.js';

type DeliveryRow = Prisma.TrustMintWebhookDeliveryGetPayload<object>;

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    subscriberId: row.subscriberId,
    accountId: row.accountId,
    eventType: row.eventType,
    eventId: row.eventId,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastAttemptAt: row.lastAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastLatencyMs: row.lastLatencyMs,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt,
    deadAt: row.deadAt,
    createdAt: row.createdAt,
  };
}

function scoped(scope: SubscriberScope): Prisma.TrustMintWebhookDeliveryWhereInput {
  return scope.kind === 'all' ? {} : { accountId: scope.accountId };
}

interface ClaimRow {
  id: string;
  subscriber_id: string;
  event_type: string;
  payload: WebhookMessage;
  attempts: number;
  round_attempts: number;
  url: string;
  secret: string;
  enabled: boolean;
  deleted_at: Date | null;
}

export interface AttemptRecord {
  deliveryId: string;
  startedAt: Date;
  latencyMs: number;
  statusCode: number | null;
  outcome: AttemptOutcome;
  error: string | null;
  manual: boolean;
  /** What the delivery becomes. */
  next: { status: 'SUCCEEDED' } | { status: 'PENDING'; at: Date } | { status: 'DEAD' };
}

export interface DeliveryFilter {
  subscriberId?: string;
  status?: DeliveryStatus;
}

/** `msg_` + creation time + randomness: the `webhook-id`, sortable by creation so lists page newest first. */
function newMessageId(at: Date): string {
  return `msg_${at.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

/** The only door to `trust_mint.webhook_deliveries` and `webhook_attempts`. */
@Injectable()
export class DeliveriesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** New deliveries in the issuing transaction; a replayed event adds none (unique subscriber+event). */
  async enqueue(
    tx: Tx,
    deliveries: {
      subscriberId: string;
      accountId: string;
      eventType: string;
      eventId: string;
      payload: WebhookMessage;
    }[],
  ): Promise<number> {
    if (deliveries.length === 0) return 0;
    const now = new Date();
    const created = await tx.trustMintWebhookDelivery.createMany({
      data: deliveries.map((delivery) => ({
        id: newMessageId(now),
        ...delivery,
        payload: delivery.payload as unknown as Prisma.InputJsonValue,
        nextAttemptAt: now,
      })),
      skipDuplicates: true,
    });
    return created.count;
  }

  /**
   * Leases due deliveries to this worker: at most `limit`, and per subscriber at most what
   * `capacityOf` allows, so a hanging partner never holds every slot. Rows leased by a worker
   * that died come back once their lease lapses. The UPDATE re-checks each row under its lock,
   * so two workers never lease the same delivery.
   */
  async claimDue(
    limit: number,
    capacityOf: (subscriberId: string) => number,
    leaseMs: number,
  ): Promise<ClaimedDelivery[]> {
    if (limit <= 0) return [];
    const candidates = await this.prisma.$queryRaw<{ id: string; subscriber_id: string }[]>`
      SELECT id, subscriber_id FROM (
        SELECT d."id", d."subscriber_id", d."next_attempt_at",
               row_number() OVER (PARTITION BY d."subscriber_id" ORDER BY d."next_attempt_at", d."id") AS rn
          FROM "trust_mint"."webhook_deliveries" d
         WHERE (d."status" = 'PENDING' AND d."next_attempt_at" <= now())
            OR (d."status" = 'SENDING' AND d."lease_until" < now())
      ) c
      WHERE c.rn <= 64
      ORDER BY c."next_attempt_at", c."id"
      LIMIT ${limit * 8}`;
    const taken = new Map<string, number>();
    const ids: string[] = [];
    for (const candidate of candidates) {
      if (ids.length >= limit) break;
      const used = taken.get(candidate.subscriber_id) ?? 0;
      if (used >= capacityOf(candidate.subscriber_id)) continue;
      taken.set(candidate.subscriber_id, used + 1);
      ids.push(candidate.id);
    }
    if (ids.length === 0) return [];
    const rows = await this.prisma.$queryRaw<ClaimRow[]>`
      UPDATE "trust_mint"."webhook_deliveries" AS d
         SET "status" = 'SENDING', "lease_until" = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
        FROM "trust_mint"."webhook_subscribers" s
       WHERE d."id" = ANY(${ids}::text[]) AND s."id" = d."subscriber_id"
         AND ((d."status" = 'PENDING' AND d."next_attempt_at" <= now())
           OR (d."status" = 'SENDING' AND d."lease_until" < now()))
      RETURNING d."id", d."subscriber_id", d."event_type", d."payload", d."attempts", d."round_attempts",
                s."url", s."secret", s."enabled", s."deleted_at"`;
    return rows.map((row) => ({
      id: row.id,
      subscriberId: row.subscriber_id,
      eventType: row.event_type,
      payload: row.payload,
      attempts: Number(row.attempts),
      roundAttempts: Number(row.round_attempts),
      url: row.url,
      secret: row.secret,
      subscriberActive: row.enabled && row.deleted_at === null,
    }));
  }

  /** Logs an attempt and moves the delivery on, in one transaction. */
  async recordAttempt(record: AttemptRecord): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const updated = await tx.trustMintWebhookDelivery.update({
        where: { id: record.deliveryId },
        data: {
          attempts: { increment: 1 },
          roundAttempts: { increment: 1 },
          status: record.next.status,
          leaseUntil: null,
          lastAttemptAt: record.startedAt,
          lastStatusCode: record.statusCode,
          lastLatencyMs: record.latencyMs,
          lastError: record.error,
          nextAttemptAt: record.next.status === 'PENDING' ? record.next.at : null,
          ...(record.next.status === 'SUCCEEDED' ? { deliveredAt: new Date() } : {}),
          ...(record.next.status === 'DEAD' ? { deadAt: new Date() } : {}),
        },
        select: { attempts: true },
      });
      await tx.trustMintWebhookAttempt.create({
        data: {
          id: randomUUID(),
          deliveryId: record.deliveryId,
          number: updated.attempts,
          manual: record.manual,
          startedAt: record.startedAt,
          latencyMs: record.latencyMs,
          statusCode: record.statusCode,
          outcome: record.outcome,
          error: record.error,
        },
      });
    });
  }

  /** A delivery whose subscriber was disabled or deleted meanwhile: dead-lettered without a call. */
  async markDeadUnsent(deliveryId: string, reason: string): Promise<void> {
    await this.prisma.trustMintWebhookDelivery.updateMany({
      where: { id: deliveryId, status: 'SENDING' },
      data: { status: 'DEAD', deadAt: new Date(), leaseUntil: null, nextAttemptAt: null, lastError: reason },
    });
  }

  async findVisible(
    scope: SubscriberScope,
    id: string,
  ): Promise<(WebhookDelivery & { attemptLog: WebhookAttempt[] }) | null> {
    const row = await this.prisma.trustMintWebhookDelivery.findFirst({
      where: { AND: [scoped(scope), { id }] },
      include: { attemptLog: { orderBy: { number: 'asc' } } },
    });
    if (!row) return null;
    return {
      ...toDelivery(row),
      attemptLog: row.attemptLog.map((attempt) => ({
        number: attempt.number,
        manual: attempt.manual,
        startedAt: attempt.startedAt,
        latencyMs: attempt.latencyMs,
        statusCode: attempt.statusCode,
        outcome: attempt.outcome,
        error: attempt.error,
      })),
    };
  }

  async listVisible(scope: SubscriberScope, filter: DeliveryFilter, page: PageRequest): Promise<Page<WebhookDelivery>> {
    const where: Prisma.TrustMintWebhookDeliveryWhereInput = {
      AND: [
        scoped(scope),
        ...(filter.subscriberId ? [{ subscriberId: filter.subscriberId }] : []),
        ...(filter.status ? [{ status: filter.status }] : []),
        ...(page.after ? [{ id: { lt: page.after } }] : []),
      ],
    };
    const rows = await this.prisma.trustMintWebhookDelivery.findMany({
      where,
      orderBy: { id: 'desc' },
      take: page.limit + 1,
    });
    return pageOf(rows.map(toDelivery), page.limit, (delivery) => delivery.id);
  }

  /**
   * Queues a delivery again now, with a fresh retry schedule: for a dead letter after the partner
   * fixed its endpoint, or to resend one that succeeded. A delivery being sent is left alone.
   * @returns false when it is in flight.
   */
  async redeliver(scope: SubscriberScope, id: string): Promise<boolean> {
    const touched = await this.prisma.trustMintWebhookDelivery.updateMany({
      where: { AND: [scoped(scope), { id }, { status: { not: 'SENDING' } }] },
      data: { status: 'PENDING', roundAttempts: 0, nextAttemptAt: new Date(), deadAt: null },
    });
    return touched.count > 0;
  }
}
