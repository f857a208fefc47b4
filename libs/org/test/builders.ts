import { randomUUID } from 'node:crypto';
import { eventCatalog, type EventMap, type EventType, type PlatformEvent } from '@flexgalaxy/contracts';
import type { PrismaService } from '@flexgalaxy/db';
import { AccountsRepository } from '../src/lib/accounts/accounts.repository.js';
import type { Account, AccountKind } from '../src/lib/accounts/domain/account.js';
import { planChildAccount, planTopLevelAccount } from '../src/lib/accounts/domain/account-hierarchy.js';

type DeviceAttributes = EventMap['device.provisioned']['attributes'];

/** An AMR-X1 as seed 000 describes it (type amr, model X1, revision r3, made by RoboMake). */
export function amrAttributes(serial: string, overrides: Partial<DeviceAttributes> = {}): DeviceAttributes {
  return {
    type: 'amr',
    manufacturer: 'RoboMake',
    model: 'X1',
    revision: 'r3',
    serial,
    firmwareVersion: '1.0.0',
    capabilities: ['navigation'],
    ...overrides,
  };
}

export function provisionedPayload(
  deviceId: string,
  accountId: string,
  attributes = amrAttributes(deviceId),
): EventMap['device.provisioned'] {
  return { deviceId, accountId, scenario: 'factory', state: 'FACTORY_PROVISIONED', attributes };
}

export function transferredPayload(
  deviceId: string,
  fromAccountId: string,
  toAccountId: string,
  attributes = amrAttributes(deviceId),
): EventMap['device.transferred'] {
  return { deviceId, fromAccountId, toAccountId, state: 'FIELD_ACTIVE', attributes };
}

/** An envelope as the relay hands it to a consumer (validated against the contract, like parseEvent). */
export function envelope<K extends EventType>(
  type: K,
  payload: EventMap[K],
  scope: { accountId: string; deviceId?: string; occurredAt?: Date },
): PlatformEvent<K> {
  return {
    id: randomUUID(),
    type,
    version: eventCatalog[type].version,
    occurredAt: (scope.occurredAt ?? new Date()).toISOString(),
    accountId: scope.accountId,
    deviceId: scope.deviceId ?? null,
    payload: eventCatalog[type].payload.parse(payload) as EventMap[K],
  };
}

/** Writes accounts straight through the repository (no HTTP, no outbox): fixtures for int tests. */
export class AccountFixtures {
  private readonly repository: AccountsRepository;

  constructor(private readonly prisma: PrismaService) {
    this.repository = new AccountsRepository(prisma);
  }

  root(name: string, kind: AccountKind = 'maker'): Promise<Account> {
    const planned = planTopLevelAccount({ id: randomUUID(), name, kind });
    return this.prisma.$transaction((tx) => this.repository.insert(tx, planned));
  }

  child(parent: Account, name: string, kind: AccountKind): Promise<Account> {
    const planned = planChildAccount(parent, { id: randomUUID(), name, kind });
    return this.prisma.$transaction((tx) => this.repository.insert(tx, planned));
  }
}
