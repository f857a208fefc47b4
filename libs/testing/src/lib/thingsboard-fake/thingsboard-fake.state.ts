import { randomBytes, randomUUID } from 'node:crypto';
import { badRequest, FakeHttpError, isRecord, notFound, TB_ERROR } from './thingsboard-fake.http.js';

/** ThingsBoard's id of "no customer" (ModelConstants.NULL_UUID). */
export const NULL_UUID = '13814000-1dd2-11b2-8080-808080808080';

export interface TbEntityId {
  entityType: string;
  id: string;
}

export interface FakeDevice {
  id: TbEntityId;
  createdTime: number;
  tenantId: TbEntityId;
  customerId: TbEntityId;
  name: string;
  type: string;
  label: string | null;
  deviceProfileId: TbEntityId;
  firmwareId: TbEntityId | null;
  softwareId: TbEntityId | null;
  externalId: TbEntityId | null;
  additionalInfo: unknown;
  deviceData: unknown;
  version: number;
}

export interface FakeCredentials {
  id: { id: string };
  createdTime: number;
  deviceId: TbEntityId;
  credentialsType: string;
  credentialsId: string;
  credentialsValue: string | null;
  version: number;
}

export interface FakeCustomer {
  id: TbEntityId;
  createdTime: number;
  tenantId: TbEntityId;
  title: string;
  name: string;
  additionalInfo: unknown;
  version: number;
}

type Scope = 'SERVER_SCOPE' | 'SHARED_SCOPE' | 'CLIENT_SCOPE';
const SCOPES: readonly string[] = ['SERVER_SCOPE', 'SHARED_SCOPE', 'CLIENT_SCOPE'];

interface StoredValue {
  value: unknown;
  ts: number;
}

/** Device-not-found as the telemetry controller answers it: 404 with a plain-text body. */
const deviceNotFoundPlain = () => new FakeHttpError(404, "Device with requested id wasn't found!", undefined, true);

/**
 * The in-memory tenant behind the fake: devices, their ACCESS_TOKEN credentials, customers,
 * attributes per scope and latest telemetry, with ThingsBoard's validation messages.
 */
export class ThingsboardFakeState {
  readonly tenantId: TbEntityId = { entityType: 'TENANT', id: randomUUID() };
  readonly devices = new Map<string, FakeDevice>();
  readonly credentials = new Map<string, FakeCredentials>();
  readonly customers = new Map<string, FakeCustomer>();
  private readonly profiles = new Map<string, string>();
  private readonly attributes = new Map<string, Map<Scope, Map<string, StoredValue>>>();
  private readonly telemetry = new Map<string, Map<string, StoredValue>>();

  // --- devices -------------------------------------------------------------------------------

  device(id: string): FakeDevice {
    const device = this.devices.get(id);
    if (!device) throw notFound();
    return device;
  }

  deviceByName(name: string): FakeDevice {
    for (const device of this.devices.values()) if (device.name === name) return device;
    throw notFound();
  }

  /** POST /api/device: create (with credentials) or update (optimistic `version` check). */
  saveDevice(body: unknown, accessToken: string | undefined): FakeDevice {
    if (!isRecord(body)) throw badRequest('Invalid request body');
    const existingId = isRecord(body['id']) && typeof body['id']['id'] === 'string' ? body['id']['id'] : undefined;
    const existing = existingId ? this.device(existingId) : undefined;
    const name = body['name'];
    if (typeof name !== 'string' || name.trim() === '') throw badRequest('Device name should be specified!');
    if (name.length > 255) throw badRequest('Device name length must be equal or less than 255');
    if (existing && typeof body['version'] === 'number' && body['version'] !== existing.version) {
      throw new FakeHttpError(409, 'Device was already changed by someone else', TB_ERROR.VERSION_CONFLICT);
    }
    for (const other of this.devices.values()) {
      if (other.name === name && other.id.id !== existingId) throw badRequest('Device with such name already exists!');
    }
    const token = existing ? undefined : accessToken || randomBytes(15).toString('base64url').slice(0, 20);
    if (token && this.deviceIdByToken(token)) {
      throw badRequest('Device credentials are already assigned to another device!');
    }
    const customerId =
      isRecord(body['customerId']) && typeof body['customerId']['id'] === 'string'
        ? body['customerId']['id']
        : NULL_UUID;
    if (customerId !== NULL_UUID && !this.customers.has(customerId)) {
      throw badRequest("Can't assign device to non-existent customer!");
    }
    const profileName = this.resolveProfile(body);
    const id = existing?.id.id ?? randomUUID();
    const device: FakeDevice = {
      id: { entityType: 'DEVICE', id },
      createdTime: existing?.createdTime ?? Date.now(),
      tenantId: this.tenantId,
      customerId: { entityType: 'CUSTOMER', id: customerId },
      name,
      type: profileName,
      label: typeof body['label'] === 'string' ? body['label'] : null,
      deviceProfileId: { entityType: 'DEVICE_PROFILE', id: this.profiles.get(profileName) as string },
      firmwareId: null,
      softwareId: null,
      externalId: null,
      additionalInfo: body['additionalInfo'] ?? null,
      deviceData: { configuration: { type: 'DEFAULT' }, transportConfiguration: { type: 'DEFAULT' } },
      version: (existing?.version ?? 0) + 1,
    };
    this.devices.set(id, device);
    if (token) {
      this.credentials.set(id, {
        id: { id: randomUUID() },
        createdTime: Date.now(),
        deviceId: device.id,
        credentialsType: 'ACCESS_TOKEN',
        credentialsId: token,
        credentialsValue: null,
        version: 1,
      });
    }
    return device;
  }

  deleteDevice(id: string): void {
    this.device(id);
    this.devices.delete(id);
    this.credentials.delete(id);
    this.attributes.delete(id);
    this.telemetry.delete(id);
  }

  /** POST /api/customer/{customerId}/device/{deviceId}. */
  assignToCustomer(customerId: string, deviceId: string): FakeDevice {
    this.customer(customerId);
    const device = this.device(deviceId);
    device.customerId = { entityType: 'CUSTOMER', id: customerId };
    device.version += 1;
    return device;
  }

  /** DELETE /api/customer/device/{deviceId}. */
  unassignFromCustomer(deviceId: string): FakeDevice {
    const device = this.device(deviceId);
    if (device.customerId.id === NULL_UUID) throw badRequest("Device isn't assigned to any customer!");
    device.customerId = { entityType: 'CUSTOMER', id: NULL_UUID };
    device.version += 1;
    return device;
  }

  // --- credentials ---------------------------------------------------------------------------

  credentialsOf(deviceId: string): FakeCredentials {
    this.device(deviceId);
    return this.credentials.get(deviceId) as FakeCredentials;
  }

  /** POST /api/device/credentials: replaces the device's only credentials. */
  updateCredentials(body: unknown): FakeCredentials {
    if (!isRecord(body) || !isRecord(body['deviceId']) || typeof body['deviceId']['id'] !== 'string') {
      throw badRequest('Device credentials should be assigned to device!');
    }
    const deviceId = body['deviceId']['id'];
    const current = this.credentialsOf(deviceId);
    if (body['credentialsType'] !== 'ACCESS_TOKEN') {
      throw badRequest('Device credentials type should be specified!');
    }
    const token = body['credentialsId'];
    if (typeof token !== 'string' || token.trim() === '')
      throw badRequest('Device credentials id should be specified!');
    const holder = this.deviceIdByToken(token);
    if (holder && holder !== deviceId) throw badRequest('Device credentials are already assigned to another device!');
    const updated = { ...current, credentialsId: token, version: current.version + 1 };
    this.credentials.set(deviceId, updated);
    return updated;
  }

  deviceIdByToken(token: string): string | undefined {
    for (const [deviceId, credentials] of this.credentials) if (credentials.credentialsId === token) return deviceId;
    return undefined;
  }

  // --- customers -----------------------------------------------------------------------------

  customer(id: string): FakeCustomer {
    const customer = this.customers.get(id);
    if (!customer) throw notFound();
    return customer;
  }

  customerByTitle(title: string): FakeCustomer {
    for (const customer of this.customers.values()) if (customer.title === title) return customer;
    throw notFound();
  }

  /** POST /api/customer (create only: the adapter never renames customers). */
  saveCustomer(body: unknown): FakeCustomer {
    if (!isRecord(body)) throw badRequest('Invalid request body');
    const title = body['title'];
    if (typeof title !== 'string' || title.trim() === '') throw badRequest('Customer title should be specified!');
    for (const other of this.customers.values()) {
      if (other.title === title) throw badRequest('Customer with such title already exists!');
    }
    const id = randomUUID();
    const customer: FakeCustomer = {
      id: { entityType: 'CUSTOMER', id },
      createdTime: Date.now(),
      tenantId: this.tenantId,
      title,
      name: title,
      additionalInfo: body['additionalInfo'] ?? null,
      version: 1,
    };
    this.customers.set(id, customer);
    return customer;
  }

  // --- attributes and telemetry (telemetry controller: plain-text errors) --------------------

  /** POST /api/plugins/telemetry/DEVICE/{id}/attributes/{scope}. */
  saveAttributes(deviceId: string, scope: string, text: string, fromDevice = false): void {
    const writable = fromDevice ? ['CLIENT_SCOPE'] : ['SERVER_SCOPE', 'SHARED_SCOPE'];
    if (!writable.includes(scope)) throw new FakeHttpError(400, `Invalid scope: ${scope}`, undefined, true);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FakeHttpError(400, 'Invalid JSON', undefined, true);
    }
    if (!isRecord(json)) throw new FakeHttpError(400, 'Request is not a JSON object', undefined, true);
    const entries = Object.entries(json).filter(([, value]) => value !== null);
    if (entries.length === 0)
      throw new FakeHttpError(400, 'No attributes data found in request body!', undefined, true);
    if (entries.some(([key]) => key.trim() === ''))
      throw new FakeHttpError(400, 'Key cannot be blank', undefined, true);
    if (!this.devices.has(deviceId)) throw deviceNotFoundPlain();
    const scopes = this.attributes.get(deviceId) ?? new Map<Scope, Map<string, StoredValue>>();
    this.attributes.set(deviceId, scopes);
    const stored = scopes.get(scope as Scope) ?? new Map<string, StoredValue>();
    scopes.set(scope as Scope, stored);
    const now = Date.now();
    for (const [key, value] of entries) stored.set(key, { value, ts: now });
  }

  /** GET /api/plugins/telemetry/DEVICE/{id}/values/attributes/{scope}. */
  readAttributes(deviceId: string, scope: string, keys: string[] | undefined) {
    if (!SCOPES.includes(scope)) throw new FakeHttpError(400, `Invalid scope: ${scope}`, undefined, true);
    if (!this.devices.has(deviceId)) throw deviceNotFoundPlain();
    const stored = this.attributes.get(deviceId)?.get(scope as Scope) ?? new Map<string, StoredValue>();
    return [...stored.entries()]
      .filter(([key]) => !keys || keys.includes(key))
      .map(([key, { value, ts }]) => ({ lastUpdateTs: ts, key, value }));
  }

  /** POST …/timeseries/{scope} and the device API's POST /api/v1/{token}/telemetry. */
  saveTelemetry(deviceId: string, text: string): void {
    if (!this.devices.has(deviceId)) throw deviceNotFoundPlain();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FakeHttpError(400, 'Invalid JSON', undefined, true);
    }
    const now = Date.now();
    const samples = (Array.isArray(json) ? json : [json]).map((item) => {
      if (!isRecord(item)) throw new FakeHttpError(400, `Can't parse value: ${JSON.stringify(item)}`, undefined, true);
      return 'ts' in item && 'values' in item && isRecord(item['values'])
        ? { ts: Number(item['ts']), values: item['values'] }
        : { ts: now, values: item };
    });
    const latest = this.telemetry.get(deviceId) ?? new Map<string, StoredValue>();
    this.telemetry.set(deviceId, latest);
    for (const { ts, values } of samples) {
      for (const [key, value] of Object.entries(values)) {
        const current = latest.get(key);
        if (value !== null && (!current || current.ts <= ts)) latest.set(key, { value, ts });
      }
    }
  }

  /** GET …/values/timeseries: `{key: [{ts, value}]}`, values as strings unless useStrictDataTypes. */
  latestTelemetry(deviceId: string, keys: string[] | undefined, strict: boolean) {
    if (!this.devices.has(deviceId)) throw deviceNotFoundPlain();
    const latest = this.telemetry.get(deviceId) ?? new Map<string, StoredValue>();
    return Object.fromEntries(
      [...latest.entries()]
        .filter(([key]) => !keys || keys.includes(key))
        .map(([key, { value, ts }]) => [
          key,
          [{ ts, value: strict ? value : typeof value === 'object' ? JSON.stringify(value) : String(value) }],
        ]),
    );
  }

  /** The device API's attribute request: `{client: {...}, shared: {...}}` with the keys asked for. */
  deviceAttributes(deviceId: string, clientKeys: string[] | undefined, sharedKeys: string[] | undefined) {
    const pick = (scope: Scope, keys: string[] | undefined) => {
      const stored = this.attributes.get(deviceId)?.get(scope) ?? new Map<string, StoredValue>();
      return Object.fromEntries(
        [...stored.entries()].filter(([key]) => !keys || keys.includes(key)).map(([key, { value }]) => [key, value]),
      );
    };
    const answer: Record<string, unknown> = {};
    const both = !clientKeys && !sharedKeys;
    const client = both || clientKeys ? pick('CLIENT_SCOPE', clientKeys) : {};
    const shared = both || sharedKeys ? pick('SHARED_SCOPE', sharedKeys) : {};
    if (Object.keys(client).length > 0) answer['client'] = client;
    if (Object.keys(shared).length > 0) answer['shared'] = shared;
    return answer;
  }

  private resolveProfile(body: Record<string, unknown>): string {
    const profileId = isRecord(body['deviceProfileId']) ? body['deviceProfileId']['id'] : undefined;
    if (typeof profileId === 'string') {
      for (const [name, id] of this.profiles) if (id === profileId) return name;
      throw badRequest('Device is referencing non existing device profile!');
    }
    // ThingsBoard's findOrCreateDeviceProfile: `type` names the profile, `default` when absent.
    const name = typeof body['type'] === 'string' && body['type'] !== '' ? body['type'] : 'default';
    if (!this.profiles.has(name)) this.profiles.set(name, randomUUID());
    return name;
  }
}
