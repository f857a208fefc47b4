import { randomUUID } from 'node:crypto';
import {
  DRIVERS,
  openTestDatabase,
  startServiceHarness,
  waitFor,
  WebhookReceiver,
  type ServiceHarness,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { TrustMintModule } from '@flexgalaxy/trust-mint';
import { ADMIN_OF_ACCOUNT, DEVICE_CONSUMER, provisioned, testConfig, type PageBody } from './trust-mint.fixtures.js';

interface SubscriberBody {
  id: string;
  accountId: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  secret?: string;
}

interface DeliveryBody {
  id: string;
  subscriberId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  attemptLog?: {
    number: number;
    manual: boolean;
    statusCode: number | null;
    outcome: string;
    latencyMs: number;
    startedAt: string;
  }[];
}

describe.each(DRIVERS)('TrustMint webhooks on %s (Standard Webhooks, retries, dead letters)', (driver) => {
  let db: TestDatabase;
  let harness: ServiceHarness;
  const receivers: WebhookReceiver[] = [];
  const tokens: Record<string, string> = {};

  async function account(prefix: string): Promise<{ id: string; token: string }> {
    const id = `${prefix}-${randomUUID().slice(0, 8)}`;
    const token = await harness.clientToken(id, ADMIN_OF_ACCOUNT);
    const subscribed = await harness.call('PUT', '/entitlements/v1/subscription', token, {
      roles: ['DEVICE_MANUFACTURER', 'LICENSE_MANAGER'],
    });
    expect(subscribed.status).toBe(200);
    return { id, token };
  }

  async function receiver(make: () => WebhookReceiver = () => new WebhookReceiver()): Promise<WebhookReceiver> {
    const started = await make().start();
    receivers.push(started);
    return started;
  }

  async function subscribe(
    token: string,
    target: WebhookReceiver,
    eventTypes = ['device.provisioned'],
  ): Promise<SubscriberBody> {
    const created = await harness.call<SubscriberBody>('POST', '/entitlements/v1/webhooks/subscribers', token, {
      url: target.url,
      eventTypes,
    });
    expect(created.status).toBe(201);
    target.secret = created.body.secret ?? null;
    return created.body;
  }

  async function deliveriesOf(token: string, subscriberId: string): Promise<DeliveryBody[]> {
    const page = await harness.call<PageBody<DeliveryBody>>(
      'GET',
      `/entitlements/v1/webhooks/deliveries?subscriberId=${subscriberId}`,
      token,
    );
    return page.body.items;
  }

  async function settled(token: string, subscriberId: string, status: string, count = 1): Promise<DeliveryBody[]> {
    await waitFor(
      async () =>
        (await deliveriesOf(token, subscriberId)).filter((delivery) => delivery.status === status).length >= count,
      15_000,
    );
    return deliveriesOf(token, subscriberId);
  }

  async function detail(token: string, deliveryId: string): Promise<DeliveryBody> {
    return (await harness.call<DeliveryBody>('GET', `/entitlements/v1/webhooks/deliveries/${deliveryId}`, token)).body;
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    harness = await startServiceHarness(db, { imports: [TrustMintModule.forRoot(testConfig())] });
  });

  afterAll(async () => {
    await harness?.close();
    await Promise.all(receivers.map((started) => started.close()));
    await db?.close();
  });

  describe('subscribers', () => {
    let owner: { id: string; token: string };
    let created: SubscriberBody;

    beforeAll(async () => {
      owner = await account('crud');
      tokens.other = (await account('other')).token;
      created = await subscribe(owner.token, await receiver(), ['device.provisioned', 'license.issued']);
    });

    it('should show the whsec_ secret once, at creation, and never again', async () => {
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const read = await harness.call<SubscriberBody>(
        'GET',
        `/entitlements/v1/webhooks/subscribers/${created.id}`,
        owner.token,
      );
      expect(read.body).toMatchObject({
        id: created.id,
        accountId: owner.id,
        eventTypes: ['device.provisioned', 'license.issued'],
        enabled: true,
      });
      expect(read.body).not.toHaveProperty('secret');
      const list = await harness.call<{ items: SubscriberBody[] }>(
        'GET',
        '/entitlements/v1/webhooks/subscribers',
        owner.token,
      );
      expect(list.body.items.map((item) => item.id)).toEqual([created.id]);
      expect(JSON.stringify(list.body)).not.toContain('whsec_');
    });

    it('should update and delete, and answer another account with 404 for every operation', async () => {
      const path = `/entitlements/v1/webhooks/subscribers/${created.id}`;
      expect((await harness.call('GET', path, tokens.other!)).status).toBe(404);
      expect((await harness.call('PATCH', path, tokens.other!, { enabled: false })).status).toBe(404);
      expect((await harness.call('DELETE', path, tokens.other!)).status).toBe(404);
      const patched = await harness.call<SubscriberBody>('PATCH', path, owner.token, {
        description: 'renamed',
        eventTypes: ['license.issued'],
      });
      expect(patched.body.eventTypes).toEqual(['license.issued']);
      const temporary = await subscribe(owner.token, await receiver());
      expect(
        (await harness.call('DELETE', `/entitlements/v1/webhooks/subscribers/${temporary.id}`, owner.token)).status,
      ).toBe(204);
      expect(
        (await harness.call('GET', `/entitlements/v1/webhooks/subscribers/${temporary.id}`, owner.token)).status,
      ).toBe(404);
    });

    it.each([
      {
        what: 'a URL that is not http(s)',
        body: { url: 'ftp://example.com/hook', eventTypes: ['device.provisioned'] },
        field: 'url',
      },
      {
        what: 'an unknown event type',
        body: { url: 'http://127.0.0.1/hook', eventTypes: ['device.exploded'] },
        field: 'eventTypes',
      },
      { what: 'no event type', body: { url: 'http://127.0.0.1/hook', eventTypes: [] }, field: 'eventTypes' },
      {
        what: 'an unknown field',
        body: { url: 'http://127.0.0.1/hook', eventTypes: ['device.provisioned'], secret: 'mine' },
        field: '',
      },
    ])('should refuse $what with 400 and create nothing', async ({ body, field }) => {
      const answer = await harness.call('POST', '/entitlements/v1/webhooks/subscribers', owner.token, body);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain(field);
      const list = await harness.call<{ items: SubscriberBody[] }>(
        'GET',
        '/entitlements/v1/webhooks/subscribers',
        owner.token,
      );
      expect(list.body.items).toHaveLength(1);
    });

    it('should let only a License Manager (approvals.write) subscribe to license_upgrade.requested', async () => {
      const maker = `maker-${randomUUID().slice(0, 8)}`;
      const token = await harness.clientToken(maker, ADMIN_OF_ACCOUNT);
      await harness.call('PUT', '/entitlements/v1/subscription', token, { roles: ['DEVICE_MANUFACTURER'] });
      const refused = await harness.call('POST', '/entitlements/v1/webhooks/subscribers', token, {
        url: 'http://127.0.0.1:9/hook',
        eventTypes: ['license_upgrade.requested'],
      });
      expect(refused.status).toBe(403);
      expect(refused.body['code']).toBe('WEBHOOK.EVENT_NOT_PERMITTED');
    });
  });

  describe('deliveries', () => {
    it('should send device.provisioned signed with Standard Webhooks headers, the receiver verifying it', async () => {
      const maker = await account('signed');
      const target = await receiver();
      const subscriber = await subscribe(maker.token, target);
      const deviceId = `signed-${randomUUID().slice(0, 8)}`;
      await harness.publish([provisioned(deviceId, maker.id)], [DEVICE_CONSUMER]);
      const [delivery] = await settled(maker.token, subscriber.id, 'SUCCEEDED');
      expect(target.received).toHaveLength(1);
      const [message] = target.received;
      expect(message).toMatchObject({ id: delivery!.id, verified: true });
      expect(message!.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(Math.abs(message!.timestamp - Date.now() / 1000)).toBeLessThan(30);
      expect(message!.body).toMatchObject({
        type: 'device.provisioned',
        data: { deviceId, accountId: maker.id, trialLicenseId: expect.any(String) },
      });
      const logged = await detail(maker.token, delivery!.id);
      expect(logged).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastStatusCode: 204 });
      expect(logged.attemptLog).toEqual([
        expect.objectContaining({ number: 1, statusCode: 204, outcome: 'succeeded', manual: false }),
      ]);
    });

    it('should retry a failing receiver with backoff and log every attempt until it succeeds', async () => {
      const maker = await account('flaky');
      const target = await receiver(() => WebhookReceiver.failing(2, 503));
      const subscriber = await subscribe(maker.token, target);
      await harness.publish([provisioned(`flaky-${randomUUID().slice(0, 8)}`, maker.id)], [DEVICE_CONSUMER]);
      const [delivery] = await settled(maker.token, subscriber.id, 'SUCCEEDED');
      const logged = await detail(maker.token, delivery!.id);
      expect(logged.attemptLog!.map((attempt) => [attempt.number, attempt.statusCode, attempt.outcome])).toEqual([
        [1, 503, 'failed'],
        [2, 503, 'failed'],
        [3, 204, 'succeeded'],
      ]);
      // The same message id on every attempt (receivers dedupe on it), and the schedule's gaps (50 ms, 100 ms, ±10%).
      expect(new Set(target.received.map((message) => message.id))).toEqual(new Set([delivery!.id]));
      const gaps = target.received.slice(1).map((message, i) => message.receivedAt - target.received[i]!.receivedAt);
      expect(gaps[0]).toBeGreaterThanOrEqual(44);
      expect(gaps[1]).toBeGreaterThanOrEqual(89);
      expect(logged.attemptLog!.every((attempt) => attempt.latencyMs >= 0)).toBe(true);
    });

    it('should dead-letter after the last scheduled try, and redeliver by hand once the receiver is fixed', async () => {
      const maker = await account('dead');
      const target = await receiver(() => new WebhookReceiver(() => 500));
      const subscriber = await subscribe(maker.token, target);
      await harness.publish([provisioned(`dead-${randomUUID().slice(0, 8)}`, maker.id)], [DEVICE_CONSUMER]);
      const [dead] = await settled(maker.token, subscriber.id, 'DEAD');
      expect(dead).toMatchObject({ attempts: 3, lastStatusCode: 500 });
      expect(target.received).toHaveLength(3);
      const dlq = await harness.call<PageBody<DeliveryBody>>(
        'GET',
        '/entitlements/v1/webhooks/deliveries?status=DEAD',
        maker.token,
      );
      expect(dlq.body.items.map((item) => item.id)).toEqual([dead!.id]);

      target.behave(() => 200);
      expect(
        (await harness.call('POST', `/entitlements/v1/webhooks/deliveries/${dead!.id}/redeliver`, tokens.other!))
          .status,
      ).toBe(404);
      const queued = await harness.call<DeliveryBody>(
        'POST',
        `/entitlements/v1/webhooks/deliveries/${dead!.id}/redeliver`,
        maker.token,
      );
      expect(queued.status).toBe(202);
      const [redelivered] = await settled(maker.token, subscriber.id, 'SUCCEEDED');
      const logged = await detail(maker.token, redelivered!.id);
      expect(logged.attempts).toBe(4);
      expect(logged.attemptLog!.at(-1)).toMatchObject({ number: 4, statusCode: 200, manual: true });
      expect(target.verified()).toHaveLength(4);
    });

    it('should time out a hanging receiver, and neither it nor its backlog delays issuance or delivery for others', async () => {
      const stuck = await account('stuck');
      const healthy = await account('healthy');
      const hanging = await receiver(() => new WebhookReceiver(() => 'hang'));
      const fine = await receiver();
      const stuckSubscriber = await subscribe(stuck.token, hanging);
      const fineSubscriber = await subscribe(healthy.token, fine);
      // A backlog for the hanging partner: more deliveries than the worker has slots.
      await harness.publish(
        Array.from({ length: 12 }, (_, i) => provisioned(`stuck-${i}-${randomUUID().slice(0, 6)}`, stuck.id)),
        [DEVICE_CONSUMER],
      );
      await waitFor(() => hanging.received.length >= 2, 10_000);
      const started = Date.now();
      const deviceId = `healthy-${randomUUID().slice(0, 8)}`;
      await harness.publish([provisioned(deviceId, healthy.id)], [DEVICE_CONSUMER]);
      const issuedAfter = Date.now() - started;
      await settled(healthy.token, fineSubscriber.id, 'SUCCEEDED');
      const deliveredAfter = Date.now() - started;
      // Issuance committed without waiting for any partner; the healthy partner was served well
      // before the hanging one's backlog could drain (12 × 3 attempts × 400 ms at 2 at a time).
      expect(issuedAfter).toBeLessThan(3_000);
      expect(deliveredAfter).toBeLessThan(3_000);
      const licenses = await harness.call<PageBody<unknown>>(
        'GET',
        `/entitlements/v1/licenses?deviceId=${deviceId}`,
        healthy.token,
      );
      expect(licenses.body.items).toHaveLength(1);
      // Per-subscriber concurrency: never more than 2 of its attempts hang at once.
      for (let i = 0; i < 10; i++) {
        expect(hanging.hangingNow).toBeLessThanOrEqual(2);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await waitFor(
        async () =>
          (await deliveriesOf(stuck.token, stuckSubscriber.id)).some((delivery) => delivery.lastError !== null),
        10_000,
      );
      const timedOut = (await deliveriesOf(stuck.token, stuckSubscriber.id)).find(
        (delivery) => delivery.lastError !== null,
      )!;
      const logged = await detail(stuck.token, timedOut.id);
      expect(logged.attemptLog![0]).toMatchObject({ outcome: 'timeout', statusCode: null });
      expect(logged.attemptLog![0]!.latencyMs).toBeGreaterThanOrEqual(390);
    });

    it('should disable an endpoint that answers 410 Gone and dead-letter the delivery', async () => {
      const maker = await account('gone');
      const target = await receiver(() => new WebhookReceiver(() => 410));
      const subscriber = await subscribe(maker.token, target);
      await harness.publish([provisioned(`gone-${randomUUID().slice(0, 8)}`, maker.id)], [DEVICE_CONSUMER]);
      const [dead] = await settled(maker.token, subscriber.id, 'DEAD');
      expect(dead).toMatchObject({ attempts: 1, lastStatusCode: 410 });
      const read = await harness.call<SubscriberBody>(
        'GET',
        `/entitlements/v1/webhooks/subscribers/${subscriber.id}`,
        maker.token,
      );
      expect(read.body).toMatchObject({ enabled: false, disabledReason: 'endpoint answered 410 Gone' });
      // A disabled subscriber is sent nothing new.
      await harness.publish([provisioned(`gone-${randomUUID().slice(0, 8)}`, maker.id)], [DEVICE_CONSUMER]);
      expect(await deliveriesOf(maker.token, subscriber.id)).toHaveLength(1);
    });

    it("should answer another account's delivery with 404, as a missing one", async () => {
      const maker = await account('private');
      const subscriber = await subscribe(maker.token, await receiver());
      await harness.publish([provisioned(`private-${randomUUID().slice(0, 8)}`, maker.id)], [DEVICE_CONSUMER]);
      const [delivery] = await settled(maker.token, subscriber.id, 'SUCCEEDED');
      expect(
        (await harness.call('GET', `/entitlements/v1/webhooks/deliveries/${delivery!.id}`, tokens.other!)).status,
      ).toBe(404);
      expect((await harness.call('GET', '/entitlements/v1/webhooks/deliveries/msg_nope', maker.token)).status).toBe(
        400,
      );
      const list = await harness.call<PageBody<DeliveryBody>>(
        'GET',
        `/entitlements/v1/webhooks/deliveries?subscriberId=${subscriber.id}`,
        tokens.other!,
      );
      expect(list.body.items).toEqual([]);
    });
  });
});
