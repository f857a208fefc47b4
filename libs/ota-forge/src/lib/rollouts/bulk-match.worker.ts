import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OTA_FORGE_CONFIG, type OtaForgeConfig } from '../ota-forge.config.js';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { MatchPolicyUseCase } from './use-cases/match-policy.use-case.js';

/**
 * Carries bulk matches past their first chunk: one chunk per transaction, the next at once while
 * any policy has chunks left, then every OTA_BULK_MATCH_POLL_MS. The progress is on the policy,
 * so a match survives a restart and several processes share the work (SKIP LOCKED).
 */
@Injectable()
export class BulkMatchWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ota-forge.bulk-match');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private shuttingDown = false;

  constructor(
    @Inject(OTA_FORGE_CONFIG) private readonly config: OtaForgeConfig,
    @Inject(TransactionRunner) private readonly transactions: TransactionRunner,
    @Inject(MatchPolicyUseCase) private readonly matchPolicy: MatchPolicyUseCase,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Matches chunks until none is left. Exposed for tests. */
  async drain(): Promise<void> {
    while (!this.shuttingDown) {
      const chunk = await this.transactions.run((tx) => this.matchPolicy.continuePending(tx));
      if (!chunk) return;
      const { done, candidates, after } = chunk.state;
      this.logger.log(
        { policyId: chunk.policyId, created: chunk.created, done, candidates, complete: after === null },
        `bulk match of policy ${chunk.policyId}: ${done} of ${candidates} targets`,
      );
    }
  }

  private schedule(delayMs: number): void {
    if (this.shuttingDown) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch((error: unknown) => {
          if (!this.shuttingDown)
            this.logger.warn({ err: error }, 'bulk match chunk failed; retrying at the next poll');
        })
        .finally(() => {
          this.running = null;
          this.schedule(this.config.OTA_BULK_MATCH_POLL_MS);
        });
    }, delayMs);
    this.timer.unref?.();
  }
}
