import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import type { EventMap, EventType } from '@flexgalaxy/contracts';
import { OutboxWriter, type EventToAppend } from '@flexgalaxy/events';
import { TransactionRunner } from '../shared/transaction-runner.js';
import type { Saga } from '../shared/saga.js';
import { DeviceAlreadyEnrolledError, IllegalTransitionError } from './devices.errors.js';
import {
  DevicesRepository,
  DuplicateSerialError,
  StaleDeviceError,
  type DeviceChanges as RowChanges,
} from './devices.repository.js';
import type { HistoryEntry, ProvisionedDevice } from './domain/device.js';
import type { LifecycleCommand } from './domain/lifecycle.js';

export interface PendingEvent<K extends EventType = EventType> {
  type: K;
  payload: EventMap[K];
}

export function event<K extends EventType>(type: K, payload: EventMap[K]): PendingEvent {
  return { type, payload } as PendingEvent;
}

/**
 * The final step of every operation: the device row, its history entry and the events announcing
 * the change, in one transaction (outbox). If it fails (a concurrent change, a duplicate serial),
 * the backends are compensated through the operation's Saga.
 */
@Injectable()
export class DeviceChanges {
  constructor(
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(TransactionRunner) private readonly transactions: TransactionRunner,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async commitNew(
    saga: Saga,
    device: ProvisionedDevice,
    history: Omit<HistoryEntry, 'occurredAt'>,
    events: PendingEvent[],
    alsoInTransaction?: (tx: Tx) => Promise<void>,
  ): Promise<ProvisionedDevice> {
    return this.commit(saga, device, async (tx) => {
      const created = await this.devices.insert(tx, device);
      await this.write(tx, created, history, events, alsoInTransaction);
      return created;
    });
  }

  async commitChange(
    saga: Saga,
    device: ProvisionedDevice,
    command: LifecycleCommand,
    changes: RowChanges,
    history: Omit<HistoryEntry, 'occurredAt'>,
    events: PendingEvent[],
    alsoInTransaction?: (tx: Tx) => Promise<void>,
  ): Promise<ProvisionedDevice> {
    try {
      return await this.commit(saga, device, async (tx) => {
        const updated = await this.devices.update(tx, device.id, device.state, changes);
        await this.write(tx, updated, history, events, alsoInTransaction);
        return updated;
      });
    } catch (error) {
      if (error instanceof StaleDeviceError) {
        const current = await this.devices.findById(device.id);
        throw new IllegalTransitionError(device.id, current?.state ?? device.state, command);
      }
      throw error;
    }
  }

  private async commit(
    saga: Saga,
    device: ProvisionedDevice,
    work: (tx: Tx) => Promise<ProvisionedDevice>,
  ): Promise<ProvisionedDevice> {
    try {
      return await this.transactions.run(work);
    } catch (error) {
      await saga.abort();
      if (error instanceof DuplicateSerialError)
        throw new DeviceAlreadyEnrolledError(device.manufacturer, device.serial);
      throw error;
    }
  }

  private async write(
    tx: Tx,
    device: ProvisionedDevice,
    history: Omit<HistoryEntry, 'occurredAt'>,
    events: PendingEvent[],
    alsoInTransaction?: (tx: Tx) => Promise<void>,
  ): Promise<void> {
    await this.devices.appendHistory(tx, device.id, history);
    const scope = { accountId: device.accountId, deviceId: device.id };
    await this.outbox.appendMany(
      tx,
      events.map((pending) => ({ ...pending, scope }) as EventToAppend),
    );
    if (alsoInTransaction) await alsoInTransaction(tx);
  }
}
