import { Inject, Injectable } from '@nestjs/common';
import { ActionsRepository } from '../rollouts/actions.repository.js';
import { MicroBatcher } from '../shared/micro-batcher.js';

/**
 * Claims scheduled actions for the polls that deliver them, the claims of polls arriving together
 * in one statement (a rollout's first polls are nearly all claims).
 */
@Injectable()
export class ScheduledActionClaims {
  private readonly batcher: MicroBatcher<number, true>;

  constructor(@Inject(ActionsRepository) actions: ActionsRepository) {
    this.batcher = new MicroBatcher((ids) => actions.claimEach(ids), { maxInFlight: 2, maxBatch: 256 });
  }

  /** Hands the action to its device; false if it was no longer scheduled (claimed or canceled). */
  async claim(actionId: number): Promise<boolean> {
    return (await this.batcher.load(actionId)) === true;
  }
}
