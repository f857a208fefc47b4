import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { eventCatalog, type EventMap, type EventType, type PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';

export interface EventScope {
  /** The account the event belongs to (the owner after a transfer). */
  accountId: string;
  /** The device it concerns, if any: Kafka's partition key, so one device's events stay ordered. */
  deviceId?: string | null;
}

/** One event to append: its type, the payload its contract defines, and what it concerns. */
export type EventToAppend = {
  [K in EventType]: { type: K; payload: EventMap[K]; scope: EventScope };
}[EventType];

/**
 * Appends events to the outbox inside the caller's transaction, so an event exists if and only
 * if the state change it announces committed (ARCHITECTURE.md "Data").
 */
@Injectable()
export class OutboxWriter {
  async append<K extends EventType>(
    tx: Tx,
    type: K,
    payload: EventMap[K],
    scope: EventScope,
  ): Promise<PlatformEvent<K>> {
    const [event] = await this.appendMany(tx, [{ type, payload, scope } as EventToAppend]);
    return event as PlatformEvent<K>;
  }

  /**
   * The SQL of a data-modifying CTE that appends one event of `type` per row a set-based statement
   * produced, so a bulk effect and its events are one statement and no row travels to this
   * process (a policy matching 100,000 targets). The expressions are SQL over `from`'s columns;
   * `payload` must build the contract's JSON (the producer's tests parse it with the contract).
   */
  static insertSelectSql(
    type: EventType,
    expressions: { accountId: string; deviceId: string | null; payload: string; from: string },
  ): string {
    const definition = eventCatalog[type];
    if (!/^[a-z_.]+$/.test(type)) throw new Error(`unexpected event type ${type}`);
    return `INSERT INTO "events"."outbox" ("id", "type", "version", "account_id", "device_id", "payload", "occurred_at")
      SELECT gen_random_uuid(), '${type}', ${definition.version}, ${expressions.accountId}, ${expressions.deviceId ?? 'NULL'},
             ${expressions.payload}, now()
        FROM ${expressions.from}`;
  }

  /**
   * Appends events in one statement, in the given order: an operation announcing several changes
   * (a transfer: device.transferred, telemetry.transfer.completed, credentials rotated), or a bulk
   * effect, must not cost a round trip per event.
   */
  async appendMany(tx: Tx, items: readonly EventToAppend[]): Promise<PlatformEvent[]> {
    if (items.length === 0) return [];
    const occurredAt = new Date().toISOString();
    const events = items.map(({ type, payload, scope }): PlatformEvent => {
      const definition = eventCatalog[type];
      return {
        id: randomUUID(),
        type,
        version: definition.version,
        occurredAt,
        accountId: scope.accountId,
        deviceId: scope.deviceId ?? null,
        // Validated on the way in too: a producer bug fails its own transaction, not a consumer later.
        payload: definition.payload.parse(payload),
      } as PlatformEvent;
    });
    await tx.outboxEvent.createMany({
      data: events.map((event) => ({
        id: event.id,
        type: event.type,
        version: event.version,
        accountId: event.accountId,
        deviceId: event.deviceId,
        payload: event.payload as object,
        occurredAt: event.occurredAt,
      })),
    });
    return events;
  }
}
