import { Module } from '@nestjs/common';
import { DeliveriesRepository } from './deliveries.repository.js';
import { SubscribersRepository } from './subscribers.repository.js';
import { WebhookFanout } from './webhook-fanout.js';
import { WebhookSender } from './webhook-sender.js';
import { WebhookWorker } from './webhook-worker.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Signed webhooks: subscribers, the delivery log, and the worker that sends and retries. */
@Module({
  controllers: [WebhooksController],
  providers: [
    SubscribersRepository,
    DeliveriesRepository,
    WebhookFanout,
    WebhookSender,
    WebhookWorker,
    WebhooksService,
  ],
  exports: [WebhookFanout, WebhookWorker],
})
export class WebhooksModule {}
