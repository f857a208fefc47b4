import { Inject, Injectable } from '@nestjs/common';
import { MicroBatcher } from '../shared/micro-batcher.js';
import { DdiRepository, type PollSnapshot } from './ddi.repository.js';

/**
 * Reads the poll snapshots of polls that arrive together in one statement (see MicroBatcher: one
 * round trip for many devices, never a cache, so an action created or cancelled before the poll
 * arrived is in its answer).
 */
@Injectable()
export class PollSnapshotLoader {
  private readonly batcher: MicroBatcher<string, PollSnapshot>;

  constructor(@Inject(DdiRepository) ddi: DdiRepository) {
    this.batcher = new MicroBatcher((hashes) => ddi.pollSnapshots(hashes), { maxInFlight: 4, maxBatch: 256 });
  }

  /** The target holding the token with this hash and what its poll needs; null if none does. */
  async load(tokenHash: string): Promise<PollSnapshot | null> {
    return (await this.batcher.load(tokenHash)) ?? null;
  }
}
