import { Module } from '@nestjs/common';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { ActionsRepository } from './actions.repository.js';
import { ActivePolicySetCache } from './active-policy-set.cache.js';
import { BulkMatchWorker } from './bulk-match.worker.js';
import { EntitlementsRepository } from './entitlements.repository.js';
import { ApplyGrantsOnMarketplaceGrantEventsHandler } from './handlers/apply-grants-on-marketplace-grant-events.handler.js';
import { RecordListingOnListingPublishedHandler } from './handlers/record-listing-on-listing-published.handler.js';
import { MatchingRepository } from './matching.repository.js';
import { PoliciesRepository } from './policies.repository.js';
import { MatchPolicyUseCase } from './use-cases/match-policy.use-case.js';
import { RecordFeedbackUseCase } from './use-cases/record-feedback.use-case.js';
import { MatchTargetUseCase } from './use-cases/match-target.use-case.js';

/**
 * The policy engine's core: policies, matching (bulk and one-target), the marketplace
 * projections that entitle cross-account deployments. The targets, policies, DDI and reporting
 * features build on it.
 */
@Module({
  providers: [
    TransactionRunner,
    PoliciesRepository,
    ActionsRepository,
    MatchingRepository,
    EntitlementsRepository,
    ActivePolicySetCache,
    MatchTargetUseCase,
    MatchPolicyUseCase,
    BulkMatchWorker,
    RecordFeedbackUseCase,
    ApplyGrantsOnMarketplaceGrantEventsHandler,
    RecordListingOnListingPublishedHandler,
  ],
  exports: [
    PoliciesRepository,
    MatchingRepository,
    EntitlementsRepository,
    ActionsRepository,
    MatchTargetUseCase,
    MatchPolicyUseCase,
    BulkMatchWorker,
    RecordFeedbackUseCase,
  ],
})
export class RolloutsModule {}
