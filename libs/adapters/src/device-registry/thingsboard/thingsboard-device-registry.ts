import { DomainError } from '@flexgalaxy/contracts';
import { generateAccessToken } from '../access-token.js';
import {
  DeviceAlreadyRegisteredError,
  DeviceNotFoundError,
  DeviceRegistryRejectedError,
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
import { TELEMETRY_TYPES, type TelemetryTransferResult, type TelemetryTransferRules } from '../telemetry-types.js';
import { ThingsboardCustomers } from './thingsboard-customers.js';
import { ThingsboardClient, ThingsboardRequestError, type ThingsboardClientConfig } from './thingsboard.client.js';
import {
  readDeviceInfo,
  toLatestTelemetry,
  toRegisteredDevice,
  toTbNewDevice,
  withDeviceInfo,
  type FlexgalaxyDeviceInfo,
} from './thingsboard.mapper.js';
import {
  tbAttributeListSchema,
  tbDeviceAttributesSchema,
  tbDeviceCredentialsSchema,
  tbDeviceSchema,
  tbLatestTimeseriesSchema,
  TB_ERROR_CODE,
  type TbDevice,
  type TbDeviceCredentials,
} from './thingsboard.types.js';

/**
 * SHARED_SCOPE attribute holding our device_id: the device HTTP API answers it to the token's
 * holder, which is how `authenticate` learns whose token it is (ThingsBoard's REST API has no
 * lookup by token). Shared attributes are read-only to the device, so it cannot claim another id.
 */
const DEVICE_ID_ATTRIBUTE = 'flexgalaxyDeviceId';

interface ManagedDevice {
  device: TbDevice;
  info: FlexgalaxyDeviceInfo;
}

const isStatus = (error: unknown, status: number) =>
  error instanceof ThingsboardRequestError && error.status === status;

/**
 * The device registry on ThingsBoard's REST API (THINGSBOARD_URL), as a tenant administrator.
 *
 * Mapping: a ThingsBoard device's `name` is the platform's device_id (unique per tenant, looked up
 * with `GET /api/tenant/devices?deviceName=`); `label` is our name, `type` the profile, server
 * attributes the platform's static attributes; accounts are customers (see ThingsboardCustomers).
 * Suspension has no ThingsBoard flag: the access token is swapped for a random one nobody holds
 * (ThingsBoard then closes the device's sessions itself) and the real one is kept in
 * `additionalInfo.flexgalaxy.suspendedAccessToken` until reactivation. ThingsBoard keeps access
 * tokens in clear and shows them to anyone who may read the device's credentials, so this widens
 * nothing.
 *
 * Each operation is several REST calls, not a transaction; every step is safe to repeat, so a
 * caller that retries after a failure converges (registerDevice removes a half-created device).
 */
export class ThingsboardDeviceRegistry implements DeviceRegistry {
  private readonly client: ThingsboardClient;
  private readonly customers: ThingsboardCustomers;
  // device_id → ThingsBoard id, for reads that need no device body (latest telemetry is polled).
  private readonly ids = new Map<string, string>();

  constructor(config: ThingsboardClientConfig) {
    this.client = new ThingsboardClient(config);
    this.customers = new ThingsboardCustomers(this.client);
  }

  async registerDevice(input: RegisterDeviceInput): Promise<IssuedAccessToken> {
    const device = parseRegisterDeviceInput(input);
    return this.guard('registerDevice', device.deviceId, async () => {
      const customerId = await this.customers.idFor(device.accountId);
      const accessToken = generateAccessToken();
      let created: TbDevice;
      try {
        created = await this.client.request('POST', '/api/device', {
          params: { accessToken },
          data: toTbNewDevice(device),
          schema: tbDeviceSchema,
        });
      } catch (error) {
        // "Device with such name already exists!": the name is our device_id.
        if (isStatus(error, 400) && /name already exists/i.test((error as ThingsboardRequestError).reason)) {
          throw new DeviceAlreadyRegisteredError(device.deviceId);
        }
        throw error;
      }
      try {
        await this.client.request('POST', `/api/customer/${customerId}/device/${created.id.id}`, {
          schema: tbDeviceSchema,
        });
        await this.saveAttributes(created.id.id, 'SERVER_SCOPE', device.attributes);
        await this.saveAttributes(created.id.id, 'SHARED_SCOPE', { [DEVICE_ID_ATTRIBUTE]: device.deviceId });
      } catch (error) {
        // Half a device would make the caller's retry fail with "already registered".
        await this.client.request('DELETE', `/api/device/${created.id.id}`).catch(() => undefined);
        throw error;
      }
      this.ids.set(device.deviceId, created.id.id);
      return { accessToken };
    });
  }

  async updateDevice(deviceId: string, update: DeviceUpdate): Promise<RegisteredDevice> {
    const id = parseDeviceId(deviceId);
    const changes = parseDeviceUpdate(update);
    return this.guard('updateDevice', id, async () => {
      const { device, info } = await this.findManaged(id);
      const accountChanges = changes.accountId !== undefined && changes.accountId !== info.accountId;
      if (accountChanges || (changes.profile !== undefined && changes.profile !== device.type)) {
        await this.saveManaged(id, (current, currentInfo) => ({
          ...current,
          additionalInfo: withDeviceInfo(current.additionalInfo, {
            ...currentInfo,
            accountId: changes.accountId ?? currentInfo.accountId,
          }),
          // ThingsBoard resolves the profile from `type` only when no profile id is sent.
          ...(changes.profile !== undefined && changes.profile !== current.type
            ? { type: changes.profile, deviceProfileId: null }
            : {}),
        }));
      }
      // Compared with the customer actually assigned, not with our info: a retry after a failure
      // between the two writes still completes the move.
      if (changes.accountId !== undefined) await this.assignToAccount(device, changes.accountId);
      if (changes.attributes) await this.saveAttributes(device.id.id, 'SERVER_SCOPE', changes.attributes);
      return this.read(id);
    });
  }

  async rotateAccessToken(deviceId: string): Promise<IssuedAccessToken> {
    const id = parseDeviceId(deviceId);
    return this.guard('rotateAccessToken', id, async () => {
      const accessToken = generateAccessToken();
      const { device, info } = await this.findManaged(id);
      if (info.disabled) {
        // Suspended: the new token waits in place of the old one until reactivation.
        await this.saveManaged(id, (current, currentInfo) => ({
          ...current,
          additionalInfo: withDeviceInfo(current.additionalInfo, { ...currentInfo, suspendedAccessToken: accessToken }),
        }));
      } else {
        // ThingsBoard closes the sessions opened with the old token when its credentials change.
        await this.putCredentials(await this.credentialsOf(device.id.id), accessToken);
      }
      return { accessToken };
    });
  }

  async disableDevice(deviceId: string): Promise<void> {
    const id = parseDeviceId(deviceId);
    await this.guard('disableDevice', id, async () => {
      const { device, info } = await this.findManaged(id);
      const credentials = await this.credentialsOf(device.id.id);
      const stashed = info.disabled ? info.suspendedAccessToken : undefined;
      const suspended = stashed ?? credentials.credentialsId;
      if (!stashed) {
        // The real token is saved before it is replaced, so no failure can lose it.
        await this.saveManaged(id, (current, currentInfo) => ({
          ...current,
          additionalInfo: withDeviceInfo(current.additionalInfo, {
            ...currentInfo,
            disabled: true,
            suspendedAccessToken: suspended,
          }),
        }));
      }
      // Also repairs a previous call that stopped after saving the flag.
      if (credentials.credentialsId === suspended) await this.putCredentials(credentials, generateAccessToken());
    });
  }

  async enableDevice(deviceId: string): Promise<void> {
    const id = parseDeviceId(deviceId);
    await this.guard('enableDevice', id, async () => {
      const { device, info } = await this.findManaged(id);
      if (!info.disabled) return;
      if (info.suspendedAccessToken) {
        const credentials = await this.credentialsOf(device.id.id);
        if (credentials.credentialsId !== info.suspendedAccessToken)
          await this.putCredentials(credentials, info.suspendedAccessToken);
      }
      await this.saveManaged(id, (current, currentInfo) => ({
        ...current,
        additionalInfo: withDeviceInfo(current.additionalInfo, {
          accountId: currentInfo.accountId,
          disabled: false,
        }),
      }));
    });
  }

  async deleteDevice(deviceId: string): Promise<void> {
    const id = parseDeviceId(deviceId);
    await this.guard('deleteDevice', id, async () => {
      const { device } = await this.findManaged(id);
      await this.client.request('DELETE', `/api/device/${device.id.id}`);
      this.ids.delete(id);
    });
  }

  async getDevice(deviceId: string): Promise<RegisteredDevice> {
    const id = parseDeviceId(deviceId);
    return this.guard('getDevice', id, () => this.read(id));
  }

  async getLatestTelemetry(deviceId: string): Promise<LatestTelemetry> {
    const id = parseDeviceId(deviceId);
    return this.guard('getLatestTelemetry', id, async () => {
      const cached = this.ids.get(id);
      if (cached) {
        try {
          return await this.latestTelemetryOf(cached);
        } catch (error) {
          // Deleted (and perhaps registered again) by another platform instance: look it up anew.
          if (!isStatus(error, 404)) throw error;
          this.ids.delete(id);
        }
      }
      const { device } = await this.findManaged(id);
      return this.latestTelemetryOf(device.id.id);
    });
  }

  async authenticate(accessToken: string): Promise<RegisteredDevice | null> {
    if (accessToken.length === 0) return null;
    return this.guard('authenticate', undefined, async () => {
      const answer = await this.client.deviceRequest('GET', `/api/v1/${encodeURIComponent(accessToken)}/attributes`, {
        params: { sharedKeys: DEVICE_ID_ATTRIBUTE },
        schema: tbDeviceAttributesSchema,
      });
      const deviceId = answer?.shared?.[DEVICE_ID_ATTRIBUTE];
      if (typeof deviceId !== 'string') return null;
      try {
        const device = await this.read(deviceId);
        return device.enabled ? device : null;
      } catch (error) {
        if (error instanceof DeviceNotFoundError) return null;
        throw error;
      }
    });
  }

  /**
   * ThingsBoard keeps a device's time series on the device entity, not per customer, so its history
   * cannot be split between two accounts: every type goes with the device, and the result says so
   * truthfully (`retained: []`) rather than pretending to apply seed 000 §5's rules. The embedded
   * registry applies them; a ThingsBoard deployment that needs them must export the retained types
   * before the transfer (not built).
   */
  async transferTelemetry(
    deviceId: string,
    _fromAccountId: string,
    _toAccountId: string,
    _rules: TelemetryTransferRules,
  ): Promise<TelemetryTransferResult> {
    const id = parseDeviceId(deviceId);
    await this.guard('transferTelemetry', id, () => this.findManaged(id));
    return { moved: [...TELEMETRY_TYPES], retained: [], movedPoints: 0 };
  }

  /** ThingsBoard's own time-series TTL is the retention policy; deleteDevice drops the series. */
  async archiveTelemetry(deviceId: string): Promise<{ archived: number }> {
    const id = parseDeviceId(deviceId);
    await this.guard('archiveTelemetry', id, () => this.findManaged(id));
    return { archived: 0 };
  }

  private async read(deviceId: string): Promise<RegisteredDevice> {
    const { device, info } = await this.findManaged(deviceId);
    const attributesPath = `/api/plugins/telemetry/DEVICE/${device.id.id}/values/attributes`;
    const [server, client] = await Promise.all([
      this.client.request('GET', `${attributesPath}/SERVER_SCOPE`, { schema: tbAttributeListSchema }),
      this.client.request('GET', `${attributesPath}/CLIENT_SCOPE`, { schema: tbAttributeListSchema }),
    ]);
    return toRegisteredDevice(device, info, server, client);
  }

  /** The device named `deviceId`, if the platform created it (devices without our info are not ours). */
  private async findManaged(deviceId: string): Promise<ManagedDevice> {
    let device: TbDevice;
    try {
      device = await this.client.request('GET', '/api/tenant/devices', {
        params: { deviceName: deviceId },
        schema: tbDeviceSchema,
      });
    } catch (error) {
      if (isStatus(error, 404)) throw new DeviceNotFoundError(deviceId);
      throw error;
    }
    const info = readDeviceInfo(device);
    if (!info) throw new DeviceNotFoundError(deviceId);
    this.ids.set(deviceId, device.id.id);
    return { device, info };
  }

  /** Saves a changed device body; on ThingsBoard's optimistic-lock conflict, re-reads and applies the change once more. */
  private async saveManaged(
    deviceId: string,
    change: (device: TbDevice, info: FlexgalaxyDeviceInfo) => TbDevice,
  ): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const { device, info } = await this.findManaged(deviceId);
      try {
        await this.client.request('POST', '/api/device', { data: change(device, info), schema: tbDeviceSchema });
        return;
      } catch (error) {
        const conflict = error instanceof ThingsboardRequestError && error.errorCode === TB_ERROR_CODE.VERSION_CONFLICT;
        if (!conflict || attempt > 0) throw error;
      }
    }
  }

  private async assignToAccount(device: TbDevice, accountId: string): Promise<void> {
    const assign = async (customerId: string) =>
      this.client.request('POST', `/api/customer/${customerId}/device/${device.id.id}`, { schema: tbDeviceSchema });
    const customerId = await this.customers.idFor(accountId);
    if (device.customerId?.id === customerId) return;
    try {
      await assign(customerId);
    } catch (error) {
      // A customer deleted by hand in ThingsBoard: create it again rather than fail the transfer.
      if (!isStatus(error, 404)) throw error;
      this.customers.forget(accountId);
      await assign(await this.customers.idFor(accountId));
    }
  }

  private credentialsOf(tbDeviceId: string): Promise<TbDeviceCredentials> {
    return this.client.request('GET', `/api/device/${tbDeviceId}/credentials`, { schema: tbDeviceCredentialsSchema });
  }

  private async putCredentials(current: TbDeviceCredentials, accessToken: string): Promise<void> {
    await this.client.request('POST', '/api/device/credentials', {
      data: { ...current, credentialsType: 'ACCESS_TOKEN', credentialsId: accessToken, credentialsValue: null },
      schema: tbDeviceCredentialsSchema,
    });
  }

  private async saveAttributes(
    tbDeviceId: string,
    scope: 'SERVER_SCOPE' | 'SHARED_SCOPE',
    attributes: DeviceAttributes,
  ): Promise<void> {
    // ThingsBoard answers 400 "No attributes data found in request body!" to an empty object.
    if (Object.keys(attributes).length === 0) return;
    await this.client.request('POST', `/api/plugins/telemetry/DEVICE/${tbDeviceId}/attributes/${scope}`, {
      data: attributes,
    });
  }

  private async latestTelemetryOf(tbDeviceId: string): Promise<LatestTelemetry> {
    const timeseries = await this.client.request(
      'GET',
      `/api/plugins/telemetry/DEVICE/${tbDeviceId}/values/timeseries`,
      {
        params: { useStrictDataTypes: 'true' },
        schema: tbLatestTimeseriesSchema,
      },
    );
    return toLatestTelemetry(timeseries);
  }

  /** Port errors pass through; ThingsBoard's answers become port errors. */
  private async guard<T>(operation: string, deviceId: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (error instanceof ThingsboardRequestError) {
        // A device removed between two calls of one operation.
        if (error.status === 404 && deviceId) throw new DeviceNotFoundError(deviceId);
        throw new DeviceRegistryRejectedError(operation, error.reason);
      }
      throw new DeviceRegistryUnavailableError(operation, error);
    }
  }
}
