import { freePort, WebhookReceiver } from '@flexgalaxy/testing';
import { trustMintConfigSchema } from '../trust-mint.config.js';
import { newWebhookSecret, verifyWebhook } from './domain/signature.js';
import type { ClaimedDelivery } from './domain/webhook.js';
import { WebhookSender } from './webhook-sender.js';

describe(WebhookSender.name, () => {
  const receiver = new WebhookReceiver();
  const secret = newWebhookSecret();
  const delivery = (): ClaimedDelivery => ({
    id: 'msg_0000000000000000000000000',
    subscriberId: 's',
    eventType: 'device.provisioned',
    payload: { type: 'device.provisioned', timestamp: new Date().toISOString(), data: { deviceId: 'amr-x1-001' } },
    attempts: 0,
    roundAttempts: 0,
    url: receiver.url,
    secret,
    subscriberActive: true,
  });
  const sender = (allowPrivate: boolean, timeoutMs = 500) =>
    new WebhookSender(
      trustMintConfigSchema.parse({
        TRUST_MINT_WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: String(allowPrivate),
        TRUST_MINT_WEBHOOK_TIMEOUT_MS: String(timeoutMs),
      }),
    );

  beforeAll(async () => {
    await receiver.start();
    receiver.secret = secret;
  });
  afterAll(() => receiver.close());

  describe('send', () => {
    it('should refuse a loopback destination unless private destinations are allowed (SSRF)', async () => {
      const refused = await sender(false).send(delivery());
      expect(refused).toMatchObject({ outcome: 'refused', statusCode: null });
      expect(refused.error).toContain('private address');
      expect(receiver.received).toHaveLength(0);
      const sent = await sender(true).send(delivery());
      expect(sent).toMatchObject({ outcome: 'succeeded', statusCode: 204 });
      expect(receiver.verified()).toHaveLength(1);
    });

    it('should sign so that the Standard Webhooks check passes and fails for another secret', () => {
      const [message] = receiver.received;
      const body = JSON.stringify(message!.body);
      expect(verifyWebhook(secret, message!.id, message!.timestamp, body, message!.signature)).toBe(true);
      expect(verifyWebhook(newWebhookSecret(), message!.id, message!.timestamp, body, message!.signature)).toBe(false);
    });

    it('should treat a redirect as a failure, never following it', async () => {
      receiver.behave(() => 302);
      expect(await sender(true).send(delivery())).toMatchObject({ outcome: 'failed', statusCode: 302 });
    });

    it('should give up on a receiver that does not answer within the timeout', async () => {
      receiver.behave(() => 'hang');
      const result = await sender(true, 150).send(delivery());
      expect(result).toMatchObject({ outcome: 'timeout', statusCode: null });
      expect(result.latencyMs).toBeGreaterThanOrEqual(140);
    });

    it('should report a refused connection as an error to retry', async () => {
      const closed = { ...delivery(), url: `http://127.0.0.1:${await freePort()}/hooks` };
      expect(await sender(true).send(closed)).toMatchObject({
        outcome: 'error',
        statusCode: null,
        error: 'ECONNREFUSED',
      });
    });
  });
});
