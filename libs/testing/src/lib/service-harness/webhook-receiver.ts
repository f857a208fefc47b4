import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it, and whether its Standard Webhooks signature verified. */
export interface ReceivedWebhook {
  id: string;
  timestamp: number;
  signature: string;
  verified: boolean;
  body: Record<string, unknown>;
  answeredWith: number | 'hang';
  receivedAt: number;
}

/** What the receiver answers to the n-th request (0-based): a status, or hang (never answer). */
export type ReceiverBehaviour = (
  attempt: number,
  message: { id: string; body: Record<string, unknown> },
) => number | 'hang';

/**
 * A partner's webhook endpoint on 127.0.0.1, verifying Standard Webhooks signatures as a real
 * receiver would (HMAC-SHA256 over `{id}.{timestamp}.{body}` with the base64 key after `whsec_`,
 * timestamp within tolerance). Its behaviour can fail, hang or answer 410.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secret: string | null = null;
  private server: Server | undefined;
  private readonly hanging = new Set<ServerResponse>();

  constructor(private behaviour: ReceiverBehaviour = () => 204) {}

  static failing(times: number, status = 500): WebhookReceiver {
    return new WebhookReceiver((attempt) => (attempt < times ? status : 204));
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the webhook receiver is not listening');
    return `http://127.0.0.1:${address.port}/hooks`;
  }

  /** Requests it is hanging on right now (unanswered, connection still open). */
  get hangingNow(): number {
    return this.hanging.size;
  }

  behave(behaviour: ReceiverBehaviour): void {
    this.behaviour = behaviour;
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

  /** Messages by type, verified ones only. */
  verified(type?: string): ReceivedWebhook[] {
    return this.received.filter((message) => message.verified && (!type || message.body['type'] === type));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const id = String(request.headers['webhook-id'] ?? '');
    const timestamp = Number(request.headers['webhook-timestamp'] ?? 0);
    const signature = String(request.headers['webhook-signature'] ?? '');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const answer = this.behaviour(this.received.length, { id, body });
    this.received.push({
      id,
      timestamp,
      signature,
      verified: this.verify(id, timestamp, raw, signature),
      body,
      answeredWith: answer,
      receivedAt: Date.now(),
    });
    if (answer === 'hang') {
      this.hanging.add(response);
      response.on('close', () => this.hanging.delete(response));
      return;
    }
    response.writeHead(answer, { 'content-type': 'text/plain' });
    response.end(answer >= 300 ? 'receiver says no' : '');
  }

  private verify(id: string, timestamp: number, body: string, header: string): boolean {
    if (!this.secret || !id || !header) return false;
    // Standard Webhooks: refuse timestamps more than 5 minutes off (replay protection).
    if (Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
    const key = Buffer.from(this.secret.replace(/^whsec_/, ''), 'base64');
    const expected = Buffer.from(
      `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`,
    );
    return header.split(' ').some((candidate) => {
      const given = Buffer.from(candidate);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}
