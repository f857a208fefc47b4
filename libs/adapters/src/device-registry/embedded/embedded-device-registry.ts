import { DomainError } from '@flexgalaxy/contracts';
import type { PrismaService } from '@flexgalaxy/db';
import {
  DeviceAlreadyRegisteredError,
  DeviceNotFoundError,
  DeviceRegistryUnavailableError,
} from '../device-registry.errors.js';
import { parseDeviceId, parseDeviceUpdate, parseRegisterDeviceInput } from '../device-registry.input.js';
import type {
  DeviceAttributes,
  DeviceRegistry,
  DeviceUpdate,
  IssuedAccessToken,
  LatestTelemetry,
  RegisterDeviceInput,
  RegisteredDevice,
} from '../device-registry.port.js';
import type { DeviceTelemetryFeed, DeviceTelemetryListener } from '../device-telemetry.feed.js';
import { generateAccessToken, hashAccessToken } from '../access-token.js';
import { RegistryRepository } from './registry.repository.js';
import { newestPerKey, type TelemetryBatcherStats } from './telemetry-batcher.js';
import { TelemetryLanes, type TelemetryLanesOptions } from './telemetry-lanes.js';
import type { TelemetryPoint } from './telemetry-point.js';
import {
  TELEMETRY_TYPES,
  type TelemetryTransferResult,
  type TelemetryTransferRules,
  type TelemetryType,
} from '../telemetry-types.js';

/** Live sessions of `deviceId` must end; those opened with `keepTokenHash` (the new token) may stay. */
export interface SessionRevocation {
  deviceId: string;
  keepTokenHash: string | null;
}

export type SessionRevocationListener = (revocation: SessionRevocation) => void;

export const DEFAULT_TELEMETRY_BATCHING: TelemetryLanesOptions = {
  maxBatchSize: 500,
  maxDelayMs: 1,
  retryDelaysMs: [50, 250, 1000],
  // Two statements in flight keep PostgreSQL busy while the broker handles the other's PUBACKs.
  lanes: 2,
};

/**
 * The default device registry: device records and latest telemetry in the platform's own
 * database (`registry` schema). Telemetry arrives through the embedded MQTT broker, which calls
 * `ingestTelemetry`; the broker also listens to `onSessionRevoked` to drop sessions whose token was
 * rotated out, or whose device was suspended or deleted.
 */
export class EmbeddedDeviceRegistry implements DeviceRegistry, DeviceTelemetryFeed {
  private readonly repository: RegistryRepository;
  private readonly batcher: TelemetryLanes;
  private readonly telemetryListeners = new Set<DeviceTelemetryListener>();
  private readonly revocationListeners = new Set<SessionRevocationListener>();

  constructor(prisma: PrismaService, batching: TelemetryLanesOptions = DEFAULT_TELEMETRY_BATCHING) {
    this.repository = new RegistryRepository(prisma);
    this.batcher = new TelemetryLanes(
      (points) => this.repository.storeTelemetry(points),
      (messages) => this.announce(messages),
      batching,
    );
  }

  async registerDevice(input: RegisterDeviceInput): Promise<IssuedAccessToken> {
    const device = parseRegisterDeviceInput(input);
    const accessToken = generateAccessToken();
    const created = await this.guard('registerDevice', () =>
      this.repository.insert(device, hashAccessToken(accessToken)),
    );
    if (!created) throw new DeviceAlreadyRegisteredError(device.deviceId);
    return { accessToken };
  }

  async updateDevice(deviceId: string, update: DeviceUpdate): Promise<RegisteredDevice> {
    const id = parseDeviceId(deviceId);
    const changes = parseDeviceUpdate(update);
    const device = await this.guard('updateDevice', () => this.repository.update(id, changes));
    if (!device) throw new DeviceNotFoundError(id);
    return device;
  }

  async rotateAccessToken(deviceId: string): Promise<IssuedAccessToken> {
    const id = parseDeviceId(deviceId);
    const accessToken = generateAccessToken();
    const tokenHash = hashAccessToken(accessToken);
    const found = await this.guard('rotateAccessToken', () => this.repository.replaceTokenHash(id, tokenHash));
    if (!found) throw new DeviceNotFoundError(id);
    this.revokeSessions({ deviceId: id, keepTokenHash: tokenHash });
    return { accessToken };
  }

  async disableDevice(deviceId: string): Promise<void> {
    const id = parseDeviceId(deviceId);
    const found = await this.guard('disableDevice', () => this.repository.setDisabled(id, true));
    if (!found) throw new DeviceNotFoundError(id);
    this.revokeSessions({ deviceId: id, keepTokenHash: null });
  }

  async enableDevice(deviceId: string): Promise<void> {
    const id = parseDeviceId(deviceId);
    const found = await this.guard('enableDevice', () => this.repository.setDisabled(id, false));
    if (!found) throw new DeviceNotFoundError(id);
  }

  async deleteDevice(deviceId: string): Promise<void> {
    const id = parseDeviceId(deviceId);
    const found = await this.guard('deleteDevice', () => this.repository.delete(id));
    if (!found) throw new DeviceNotFoundError(id);
    this.revokeSessions({ deviceId: id, keepTokenHash: null });
  }

  async getDevice(deviceId: string): Promise<RegisteredDevice> {
    const id = parseDeviceId(deviceId);
    const device = await this.guard('getDevice', () => this.repository.find(id));
    if (!device) throw new DeviceNotFoundError(id);
    return device;
  }

  async getLatestTelemetry(deviceId: string): Promise<LatestTelemetry> {
    const id = parseDeviceId(deviceId);
    const telemetry = await this.guard('getLatestTelemetry', () => this.repository.latestTelemetry(id));
    if (!telemetry) throw new DeviceNotFoundError(id);
    return telemetry;
  }

  async authenticate(accessToken: string): Promise<RegisteredDevice | null> {
    if (accessToken.length === 0) return null;
    return this.guard('authenticate', () => this.repository.findEnabledByTokenHash(hashAccessToken(accessToken)));
  }

  async transferTelemetry(
    deviceId: string,
    fromAccountId: string,
    toAccountId: string,
    rules: TelemetryTransferRules,
  ): Promise<TelemetryTransferResult> {
    const id = parseDeviceId(deviceId);
    const moved = TELEMETRY_TYPES.filter((type) => rules.follow.includes(type));
    const retained = TELEMETRY_TYPES.filter((type) => !rules.follow.includes(type));
    // Queued points were sampled under the old owner: they land first, then move with the rest.
    await this.batcher.flush().catch(() => undefined);
    const movedPoints = await this.guard('transferTelemetry', () =>
      this.repository.moveTelemetryHistory(id, fromAccountId, toAccountId, moved),
    );
    return { moved: [...moved], retained: [...retained], movedPoints };
  }

  async archiveTelemetry(deviceId: string): Promise<{ archived: number }> {
    const id = parseDeviceId(deviceId);
    await this.batcher.flush().catch(() => undefined);
    const archived = await this.guard('archiveTelemetry', () => this.repository.archiveTelemetryHistory(id));
    return { archived };
  }

  /** Points of the device's history per telemetry type held by `accountId` (live, not archived). */
  async telemetryHistorySummary(deviceId: string, accountId: string): Promise<Partial<Record<TelemetryType, number>>> {
    await this.batcher.flush().catch(() => undefined);
    return this.guard('telemetryHistorySummary', () => this.repository.historySummary(deviceId, accountId));
  }

  /** The hash sessions remember, so that a rotation can tell old sessions from new ones. */
  tokenHashOf(accessToken: string): string {
    return hashAccessToken(accessToken);
  }

  /**
   * Stores one device message's values (batched with others); resolves once they are committed.
   * Rejects with DeviceRegistryUnavailableError when the database keeps failing.
   */
  async ingestTelemetry(points: TelemetryPoint[]): Promise<void> {
    try {
      await this.batcher.enqueue(points);
    } catch (error) {
      throw new DeviceRegistryUnavailableError('ingestTelemetry', error);
    }
  }

  /** Merges attributes the device reported (ThingsBoard's CLIENT_SCOPE) into its record. */
  async reportClientAttributes(deviceId: string, attributes: DeviceAttributes): Promise<void> {
    if (Object.keys(attributes).length === 0) return;
    await this.guard('reportClientAttributes', () => this.repository.mergeClientAttributes(deviceId, attributes));
  }

  onTelemetry(listener: DeviceTelemetryListener): () => void {
    this.telemetryListeners.add(listener);
    return () => this.telemetryListeners.delete(listener);
  }

  /** Calls `listener` whenever sessions of a device must be closed; returns the unsubscribe function. */
  onSessionRevoked(listener: SessionRevocationListener): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  /** How many telemetry messages are queued, stored, and in how many write statements. */
  get telemetryStats(): TelemetryBatcherStats {
    return this.batcher.stats;
  }

  /** Writes the telemetry queued so far. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Writes the queued telemetry and refuses more; call after the broker stopped accepting it. */
  close(): Promise<void> {
    return this.batcher.close();
  }

  private revokeSessions(revocation: SessionRevocation): void {
    for (const listener of this.revocationListeners) listener(revocation);
  }

  private announce(messages: readonly TelemetryPoint[][]): void {
    if (this.telemetryListeners.size === 0) return;
    for (const points of messages) {
      const event = {
        deviceId: points[0].deviceId,
        values: Object.fromEntries(
          newestPerKey(points).map((point) => [point.key, { value: point.value, ts: point.ts }]),
        ),
      };
      for (const listener of this.telemetryListeners) {
        try {
          listener(event);
        } catch {
          // One consumer's bug must not starve the others (delivery is at most once anyway).
        }
      }
    }
  }

  /** Domain errors pass through; anything else from the database means it is unavailable. */
  private async guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw new DeviceRegistryUnavailableError(operation, error);
    }
  }
}
