import { badRequest, FakeHttpError, parseJsonBody, requireUuid } from './thingsboard-fake.http.js';
import type { ThingsboardFakeState } from './thingsboard-fake.state.js';

export interface RouteContext {
  params: string[];
  query: URLSearchParams;
  body: string;
}

export interface RouteAnswer {
  status: number;
  json?: unknown;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Tenant-admin JWT required (`X-Authorization: Bearer …`); the device API authenticates by token. */
  authenticated: boolean;
  handle(context: RouteContext): RouteAnswer;
}

const ok = (json?: unknown): RouteAnswer => ({ status: 200, json });

/** `keys=a,b` (ThingsBoard also takes repeated `key=`), or undefined for "all keys". */
function keysOf(query: URLSearchParams, name = 'keys'): string[] | undefined {
  const listed = query.get(name)?.split(',').filter(Boolean) ?? [];
  const repeated = name === 'keys' ? query.getAll('key') : [];
  const keys = [...listed, ...repeated];
  return keys.length > 0 ? keys : undefined;
}

function requiredParam(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null)
    throw badRequest(`Required request parameter '${name}' for method parameter type String is not present`);
  return value;
}

const DEVICE_ENTITY = /^DEVICE$/;

function deviceEntity(entityType: string): void {
  if (!DEVICE_ENTITY.test(entityType))
    throw badRequest(`Unsupported entity type: ${entityType} (the fake knows DEVICE only)`);
}

/**
 * The subset of ThingsBoard's REST API the platform's adapter uses, with the paths, query
 * parameters, bodies and error answers of DeviceController, CustomerController,
 * TelemetryController and the device HTTP API (DeviceApiController).
 */
export function thingsboardRoutes(state: ThingsboardFakeState): Route[] {
  return [
    // DeviceController
    {
      method: 'GET',
      pattern: /^\/api\/tenant\/devices$/,
      authenticated: true,
      handle: ({ query }) => ok(state.deviceByName(requiredParam(query, 'deviceName'))),
    },
    {
      method: 'POST',
      pattern: /^\/api\/device$/,
      authenticated: true,
      handle: ({ query, body }) => ok(state.saveDevice(parseJsonBody(body), query.get('accessToken') ?? undefined)),
    },
    {
      method: 'GET',
      pattern: /^\/api\/device\/([^/]+)$/,
      authenticated: true,
      handle: ({ params }) => ok(state.device(requireUuid(params[0]))),
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/device\/([^/]+)$/,
      authenticated: true,
      handle: ({ params }) => {
        state.deleteDevice(requireUuid(params[0]));
        return ok();
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/device\/([^/]+)\/credentials$/,
      authenticated: true,
      handle: ({ params }) => ok(state.credentialsOf(requireUuid(params[0]))),
    },
    {
      method: 'POST',
      pattern: /^\/api\/device\/credentials$/,
      authenticated: true,
      handle: ({ body }) => ok(state.updateCredentials(parseJsonBody(body))),
    },
    {
      method: 'POST',
      pattern: /^\/api\/customer\/([^/]+)\/device\/([^/]+)$/,
      authenticated: true,
      handle: ({ params }) => ok(state.assignToCustomer(requireUuid(params[0]), requireUuid(params[1]))),
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/customer\/device\/([^/]+)$/,
      authenticated: true,
      handle: ({ params }) => ok(state.unassignFromCustomer(requireUuid(params[0]))),
    },
    // CustomerController
    {
      method: 'POST',
      pattern: /^\/api\/customer$/,
      authenticated: true,
      handle: ({ body }) => ok(state.saveCustomer(parseJsonBody(body))),
    },
    {
      method: 'GET',
      pattern: /^\/api\/tenant\/customers$/,
      authenticated: true,
      handle: ({ query }) => ok(state.customerByTitle(requiredParam(query, 'customerTitle'))),
    },
    {
      method: 'GET',
      pattern: /^\/api\/customer\/([^/]+)$/,
      authenticated: true,
      handle: ({ params }) => ok(state.customer(requireUuid(params[0]))),
    },
    // TelemetryController
    {
      method: 'POST',
      pattern: /^\/api\/plugins\/telemetry\/([^/]+)\/([^/]+)\/attributes\/([^/]+)$/,
      authenticated: true,
      handle: ({ params, body }) => {
        deviceEntity(params[0]);
        state.saveAttributes(requireUuid(params[1]), params[2], body);
        return ok();
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/plugins\/telemetry\/([^/]+)\/([^/]+)\/values\/attributes\/([^/]+)$/,
      authenticated: true,
      handle: ({ params, query }) => {
        deviceEntity(params[0]);
        return ok(state.readAttributes(requireUuid(params[1]), params[2], keysOf(query)));
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/plugins\/telemetry\/([^/]+)\/([^/]+)\/values\/timeseries$/,
      authenticated: true,
      handle: ({ params, query }) => {
        deviceEntity(params[0]);
        const strict = query.get('useStrictDataTypes') === 'true';
        return ok(state.latestTelemetry(requireUuid(params[1]), keysOf(query), strict));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/plugins\/telemetry\/([^/]+)\/([^/]+)\/timeseries\/([^/]+)$/,
      authenticated: true,
      handle: ({ params, body }) => {
        deviceEntity(params[0]);
        state.saveTelemetry(requireUuid(params[1]), body);
        return ok();
      },
    },
    // Device HTTP API: the access token in the path is the only credential; a bad one is a bare 401.
    {
      method: 'GET',
      pattern: /^\/api\/v1\/([^/]+)\/attributes$/,
      authenticated: false,
      handle: ({ params, query }) => {
        const deviceId = state.deviceIdByToken(decodeURIComponent(params[0]));
        if (!deviceId) throw new FakeHttpError(401, '', undefined, true);
        return ok(state.deviceAttributes(deviceId, keysOf(query, 'clientKeys'), keysOf(query, 'sharedKeys')));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/([^/]+)\/telemetry$/,
      authenticated: false,
      handle: ({ params, body }) => {
        const deviceId = state.deviceIdByToken(decodeURIComponent(params[0]));
        if (!deviceId) throw new FakeHttpError(401, '', undefined, true);
        state.saveTelemetry(deviceId, body);
        return ok();
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/([^/]+)\/attributes$/,
      authenticated: false,
      handle: ({ params, body }) => {
        const deviceId = state.deviceIdByToken(decodeURIComponent(params[0]));
        if (!deviceId) throw new FakeHttpError(401, '', undefined, true);
        state.saveAttributes(deviceId, 'CLIENT_SCOPE', body, true);
        return ok();
      },
    },
  ];
}
