import { Inject, Injectable } from '@nestjs/common';
import type { PlatformEvent } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OnEvents, type EventConsumer } from '@flexgalaxy/events';
import { EntitlementsRepository } from '../entitlements.repository.js';

/** Listings: who may author policies for them and whether the software is device-bound. */
@Injectable()
@OnEvents({ name: 'ota-forge.listings', events: ['listing.published'] })
export class RecordListingOnListingPublishedHandler implements EventConsumer<'listing.published'> {
  constructor(@Inject(EntitlementsRepository) private readonly entitlements: EntitlementsRepository) {}

  async handle(event: PlatformEvent<'listing.published'>, tx: Tx): Promise<void> {
    const listing = event.payload;
    await this.entitlements.recordListing(tx, {
      listingId: listing.listingId,
      developerAccountId: listing.developerAccountId,
      name: listing.name,
      version: listing.version,
      category: listing.category,
      versionScoping: listing.versionScoping,
    });
  }
}
