import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { PolicyIssuanceService } from '../policy-issuance.service.js';

/** Learns each listing's license issuance policy, and applies it to facts that were waiting for it. */
@Injectable()
@OnEvents({ name: 'trust-mint.listings', events: ['listing.published'] })
export class RecordListingOnListingPublishedHandler implements EventConsumer<'listing.published'> {
  constructor(@Inject(PolicyIssuanceService) private readonly issuance: PolicyIssuanceService) {}

  async handle(event: PlatformEvent<'listing.published'>, tx: Tx): Promise<void> {
    await this.issuance.onListingPublished(tx, event);
  }
}
