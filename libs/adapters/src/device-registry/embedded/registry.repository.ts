import { isUniqueViolation, Prisma, type PrismaService } from '@flexgalaxy/db';
import type {
  DeviceAttributes,
  DeviceUpdate,
  JsonValue,
  LatestTelemetry,
  RegisterDeviceInput,
  RegisteredDevice,
} from '../device-registry.port.js';
import type { TelemetryType } from '../telemetry-types.js';
import { newestPerKey } from './telemetry-batcher.js';
import { TelemetryTypeCache } from './telemetry-type.cache.js';
import type { TelemetryPoint } from './telemetry-point.js';

interface DeviceRow {
  id: string;
  accountId: string;
  name: string;
  profile: string;
  attributes: Prisma.JsonValue;
  clientAttributes: Prisma.JsonValue;
  disabled: boolean;
}

function asAttributes(json: Prisma.JsonValue): DeviceAttributes {
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as DeviceAttributes) : {};
}

function toDevice(row: DeviceRow): RegisteredDevice {
  return {
    deviceId: row.id,
    accountId: row.accountId,
    name: row.name,
    profile: row.profile,
    attributes: asAttributes(row.attributes),
    clientAttributes: asAttributes(row.clientAttributes),
    enabled: !row.disabled,
  };
}

/**
 * The batched telemetry write (see storeTelemetry): $1 every point, $2 the newest per (device, key).
 * The upsert is the CTE, which nothing reads: PostgreSQL then runs it after the main query (its
 * behaviour, not a documented order), so its row locks are taken late. Nothing depends on that:
 * concurrent batches never share a device (TelemetryLanes).
 */
const STORE_TELEMETRY_SQL = `
  WITH "latest" AS (
    INSERT INTO "registry"."latest_telemetry" ("device_id", "key", "value", "ts", "received_at")
    SELECT p."d", p."k", p."v", p."t", now()
      FROM jsonb_to_recordset($2::jsonb) AS p("d" text, "k" text, "t" timestamptz, "v" jsonb)
     WHERE EXISTS (SELECT 1 FROM "registry"."devices" d WHERE d."id" = p."d")
    ON CONFLICT ("device_id", "key") DO UPDATE
       SET "value" = EXCLUDED."value", "ts" = EXCLUDED."ts", "received_at" = EXCLUDED."received_at"
     WHERE "latest_telemetry"."ts" <= EXCLUDED."ts"
  )
  INSERT INTO "registry"."telemetry_history" ("device_id", "account_id", "telemetry_type", "key", "value", "ts", "received_at")
  SELECT p."d", d."account_id", p."y", p."k", p."v", p."t", now()
    FROM jsonb_to_recordset($1::jsonb) AS p("d" text, "k" text, "t" timestamptz, "v" jsonb, "y" text)
    JOIN "registry"."devices" d ON d."id" = p."d"`;

/** One point as STORE_TELEMETRY_SQL reads it; one-letter names keep the JSON parameter small. */
interface TelemetryRow {
  d: string;
  k: string;
  t: string;
  v: JsonValue;
  y: TelemetryType;
}

const deviceColumns = {
  id: true,
  accountId: true,
  name: true,
  profile: true,
  attributes: true,
  clientAttributes: true,
  disabled: true,
} as const;

/**
 * The embedded registry's tables (`registry` schema). The device id is the platform's own, so it
 * is the scope of every query; access tokens exist here only as their sha256.
 */
export class RegistryRepository {
  private readonly telemetryTypes = new TelemetryTypeCache();

  constructor(private readonly prisma: PrismaService) {}

  /** @returns false when a device with this id already exists. */
  async insert(input: RegisterDeviceInput, accessTokenHash: string): Promise<boolean> {
    try {
      await this.prisma.registryDevice.create({
        data: {
          id: input.deviceId,
          accountId: input.accountId,
          name: input.name,
          profile: input.profile,
          attributes: input.attributes as Prisma.InputJsonObject,
          accessTokenHash,
        },
      });
      return true;
    } catch (error) {
      // The id is the only unique key a caller controls; a sha256 collision of two random
      // 256-bit tokens is not a case worth a branch.
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async find(deviceId: string): Promise<RegisteredDevice | null> {
    const row = await this.prisma.registryDevice.findUnique({ where: { id: deviceId }, select: deviceColumns });
    return row ? toDevice(row) : null;
  }

  /** One indexed lookup (unique index on the hash): this runs on every MQTT CONNECT. */
  async findEnabledByTokenHash(accessTokenHash: string): Promise<RegisteredDevice | null> {
    const row = await this.prisma.registryDevice.findUnique({
      where: { accessTokenHash, disabled: false },
      select: deviceColumns,
    });
    return row ? toDevice(row) : null;
  }

  /** Attributes are merged in SQL (`||`), so two concurrent updates of different keys both land. */
  async update(deviceId: string, update: DeviceUpdate): Promise<RegisteredDevice | null> {
    return this.prisma.$transaction(async (tx) => {
      const patch = JSON.stringify(update.attributes ?? {});
      const touched = await tx.$executeRaw`
        UPDATE "registry"."devices" SET "attributes" = "attributes" || ${patch}::jsonb, "updated_at" = now()
         WHERE "id" = ${deviceId}`;
      if (touched === 0) return null;
      const row = await tx.registryDevice.update({
        where: { id: deviceId },
        data: { accountId: update.accountId, profile: update.profile },
        select: deviceColumns,
      });
      return toDevice(row);
    });
  }

  /** @returns false when no such device exists. */
  async replaceTokenHash(deviceId: string, accessTokenHash: string): Promise<boolean> {
    const { count } = await this.prisma.registryDevice.updateMany({
      where: { id: deviceId },
      data: { accessTokenHash },
    });
    return count === 1;
  }

  /** @returns false when no such device exists. */
  async setDisabled(deviceId: string, disabled: boolean): Promise<boolean> {
    const { count } = await this.prisma.registryDevice.updateMany({ where: { id: deviceId }, data: { disabled } });
    return count === 1;
  }

  /** Removes the device; its telemetry goes with it (ON DELETE CASCADE). @returns false when absent. */
  async delete(deviceId: string): Promise<boolean> {
    const { count } = await this.prisma.registryDevice.deleteMany({ where: { id: deviceId } });
    return count === 1;
  }

  /** @returns false when no such device exists. */
  async mergeClientAttributes(deviceId: string, attributes: DeviceAttributes): Promise<boolean> {
    const touched = await this.prisma.$executeRaw`
      UPDATE "registry"."devices" SET "client_attributes" = "client_attributes" || ${JSON.stringify(attributes)}::jsonb,
             "updated_at" = now()
       WHERE "id" = ${deviceId}`;
    return touched === 1;
  }

  /** @returns null when no such device exists. */
  async latestTelemetry(deviceId: string): Promise<LatestTelemetry | null> {
    const device = await this.prisma.registryDevice.findUnique({
      where: { id: deviceId },
      select: { telemetry: { select: { key: true, value: true, ts: true } } },
    });
    if (!device) return null;
    return Object.fromEntries(device.telemetry.map((row) => [row.key, { value: row.value as JsonValue, ts: row.ts }]));
  }

  /**
   * Stores a batch in one statement: every point is appended to the history under the account
   * that owns the device now, with its telemetry type; the newest point per (device, key) is
   * upserted as the latest value. A value older than the stored latest one does not replace it,
   * and points of a device deleted meanwhile are skipped rather than failing the batch.
   *
   * The points travel as JSON array parameters (`jsonb_to_recordset`), which both drivers bind the
   * same way; PostgreSQL spends about as much per row on them as on unnest()ed arrays, and Node far
   * less to build them. The statement goes to the connection's SqlSession rather than through
   * `$executeRaw`: it runs for every batch of the MQTT ingest, and Prisma's raw-query pipeline cost
   * about a fifth of the ingest's CPU (profile of the mqtt-telemetry bench).
   */
  async storeTelemetry(points: readonly TelemetryPoint[]): Promise<void> {
    if (points.length === 0) return;
    const history = JSON.stringify(this.telemetryRows(points));
    const latest = JSON.stringify(this.telemetryRows(newestPerKey(points)));
    await this.prisma.connection.sql.query(STORE_TELEMETRY_SQL, [history, latest]);
  }

  private telemetryRows(points: readonly TelemetryPoint[]): TelemetryRow[] {
    const rows = new Array<TelemetryRow>(points.length);
    // The points of one message share their Date: format it once per message, not per point.
    let lastTs: Date | undefined;
    let lastIso = '';
    for (let index = 0; index < points.length; index++) {
      const point = points[index];
      if (point.ts !== lastTs) {
        lastTs = point.ts;
        lastIso = point.ts.toISOString();
      }
      rows[index] = {
        d: point.deviceId,
        k: point.key,
        t: lastIso,
        v: point.value,
        y: this.telemetryTypes.of(point.key),
      };
    }
    return rows;
  }

  /** Re-assigns the live history of `types` from one account to the other. @returns points moved. */
  async moveTelemetryHistory(
    deviceId: string,
    fromAccountId: string,
    toAccountId: string,
    types: readonly TelemetryType[],
  ): Promise<number> {
    if (types.length === 0 || fromAccountId === toAccountId) return 0;
    const { count } = await this.prisma.registryTelemetryHistory.updateMany({
      where: { deviceId, accountId: fromAccountId, telemetryType: { in: [...types] }, archivedAt: null },
      data: { accountId: toAccountId },
    });
    return count;
  }

  /** @returns points archived. */
  async archiveTelemetryHistory(deviceId: string): Promise<number> {
    const { count } = await this.prisma.registryTelemetryHistory.updateMany({
      where: { deviceId, archivedAt: null },
      data: { archivedAt: new Date() },
    });
    return count;
  }

  async historySummary(deviceId: string, accountId: string): Promise<Partial<Record<TelemetryType, number>>> {
    const groups = await this.prisma.registryTelemetryHistory.groupBy({
      by: ['telemetryType'],
      where: { deviceId, accountId, archivedAt: null },
      _count: { _all: true },
    });
    return Object.fromEntries(groups.map((group) => [group.telemetryType, group._count._all]));
  }
}
