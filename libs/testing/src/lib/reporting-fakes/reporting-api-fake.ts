import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** OTA Forge's reporting contract: `GET /ota/v1/reports/software?listingId=&version=` (aggregates only). */
export interface OtaSoftwareReportBody {
  listingId: string;
  version: string | null;
  matched: number;
  downloading: number;
  installed: number;
  failed: number;
  trend: { day: string; installed: number; failed: number }[];
}

/** TrustMint's reporting contract: `GET /entitlements/v1/reports/licenses?softwareId=`. */
export interface LicenseReportBody {
  softwareId: string;
  active: number;
  byType: Record<string, number>;
  trend: { day: string; issued: number; revoked: number }[];
}

export interface ReportingApiFakeOptions {
  /** Whether a bearer token may read reports; any non-empty token by default. */
  acceptBearer?: (token: string) => boolean | Promise<boolean>;
}

/**
 * An HTTP fake of the two reporting APIs the Marketplace developer portal reads (OTA Forge's
 * software report, TrustMint's license report), as fixed by the platform lead: 401 without a
 * bearer, 400 without the id, zeros for an id it was told nothing about. It can fail or hang on
 * demand, and records every request.
 */
export class ReportingApiFake {
  readonly requests: { path: string; query: Record<string, string>; authorization: string | null }[] = [];
  private readonly ota = new Map<string, OtaSoftwareReportBody>();
  private readonly licenses = new Map<string, LicenseReportBody>();
  private server: Server | undefined;
  private failures: { remaining: number; status: number | 'hang' } = { remaining: 0, status: 503 };
  private readonly hanging = new Set<ServerResponse>();

  constructor(private readonly options: ReportingApiFakeOptions = {}) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the reporting fake is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** What OTA Forge reports for a listing (and version, when given). */
  setOtaReport(report: OtaSoftwareReportBody): void {
    this.ota.set(`${report.listingId}|${report.version ?? ''}`, report);
  }

  setLicenseReport(report: LicenseReportBody): void {
    this.licenses.set(report.softwareId, report);
  }

  /** Answers the next `count` report requests with `status` (or never answers them). */
  failNext(count: number, status: number | 'hang' = 503): void {
    this.failures = { remaining: count, status };
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this;
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams.entries());
    const authorization = request.headers.authorization ?? null;
    this.requests.push({ path: url.pathname, query, authorization });
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!bearer || !(await (this.options.acceptBearer ?? (() => true))(bearer))) {
      return send(401, { code: 'AUTH.UNAUTHENTICATED', message: 'missing or invalid bearer token' });
    }
    if (this.failures.remaining > 0) {
      this.failures.remaining--;
      if (this.failures.status === 'hang') {
        this.hanging.add(response);
        return;
      }
      return send(this.failures.status, { code: 'UNAVAILABLE', message: 'fake failure' });
    }
    if (request.method === 'GET' && url.pathname === '/ota/v1/reports/software') {
      const listingId = query['listingId'];
      if (!listingId) return send(400, { code: 'REQUEST.INVALID', message: 'listingId is required' });
      const version = query['version'] ?? null;
      return send(
        200,
        this.ota.get(`${listingId}|${version ?? ''}`) ?? {
          listingId,
          version,
          matched: 0,
          downloading: 0,
          installed: 0,
          failed: 0,
          trend: [],
        },
      );
    }
    if (request.method === 'GET' && url.pathname === '/entitlements/v1/reports/licenses') {
      const softwareId = query['softwareId'];
      if (!softwareId) return send(400, { code: 'REQUEST.INVALID', message: 'softwareId is required' });
      return send(
        200,
        this.licenses.get(softwareId) ?? { softwareId, active: 0, byType: { TRIAL: 0, OFFICIAL: 0 }, trend: [] },
      );
    }
    return send(404, { code: 'RESOURCE.NOT_FOUND', message: 'not found' });
  }
}
