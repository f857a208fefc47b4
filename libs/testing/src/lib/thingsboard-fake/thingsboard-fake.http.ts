import type { IncomingMessage, ServerResponse } from 'node:http';

/** ThingsBoard's error codes (ThingsboardErrorCode), as its REST API returns them. */
export const TB_ERROR = {
  GENERAL: 2,
  AUTHENTICATION: 10,
  JWT_TOKEN_EXPIRED: 11,
  PERMISSION_DENIED: 20,
  BAD_REQUEST_PARAMS: 31,
  ITEM_NOT_FOUND: 32,
  VERSION_CONFLICT: 35,
} as const;

/**
 * An error answer. The entity controllers answer ThingsBoard's JSON error body
 * `{status, message, errorCode, timestamp}`; the telemetry controller answers a plain-text message
 * (or nothing), which `plain` reproduces.
 */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorCode?: number,
    readonly plain = false,
  ) {
    super(message);
  }
}

export const notFound = () => new FakeHttpError(404, "Requested item wasn't found!", TB_ERROR.ITEM_NOT_FOUND);
export const badRequest = (message: string) => new FakeHttpError(400, message, TB_ERROR.BAD_REQUEST_PARAMS);

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function sendError(response: ServerResponse, error: FakeHttpError): void {
  if (error.plain) {
    response.writeHead(error.status, { 'content-type': 'text/plain;charset=UTF-8' });
    response.end(error.message);
    return;
  }
  sendJson(response, error.status, {
    status: error.status,
    message: error.message,
    errorCode: error.errorCode ?? TB_ERROR.GENERAL,
    timestamp: Date.now(),
  });
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body; a malformed one is Spring's 400 (HttpMessageNotReadableException). */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('JSON parse error: malformed request body');
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ThingsBoard's `toUUID`: a malformed id is a 400, not a 404. */
export function requireUuid(value: string): string {
  if (!UUID.test(value)) throw badRequest(`Invalid UUID string: ${value}`);
  return value.toLowerCase();
}
