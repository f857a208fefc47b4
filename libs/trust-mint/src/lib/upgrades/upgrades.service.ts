import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import type { Tx } from '@flexgalaxy/db';
import { OutboxWriter } from '@flexgalaxy/events';
import { TrustMintTransactions } from '../core/transaction-runner.js';
import { TRUST_MINT_CONFIG } from '../core/trust-mint.tokens.js';
import type { Page, PageRequest } from '@flexgalaxy/service-kit';
import { ListingsRepository } from '../issuance/listings.repository.js';
import type { License } from '../licenses/domain/license.js';
import { LedgerRepository } from '../licenses/ledger.repository.js';
import { LicenseIssuer } from '../licenses/license-issuer.js';
import { LicenseNotFoundError } from '../licenses/licenses.errors.js';
import { LicensesRepository } from '../licenses/licenses.repository.js';
import { scopeOf } from '../licenses/licenses.service.js';
import type { TrustMintConfig } from '../trust-mint.config.js';
import { WebhookFanout } from '../webhooks/webhook-fanout.js';
import { decisionEffect, routeFor, type UpgradeDecision, type UpgradeRequest } from './domain/upgrade-request.js';
import {
  LicenseNotUpgradableError,
  UpgradeAlreadyDecidedError,
  UpgradeRequestNotFoundError,
} from './upgrades.errors.js';
import { UpgradesRepository, type UpgradeFilter } from './upgrades.repository.js';

const DAY_MS = 86_400_000;
const AUTO_APPROVER = 'system:auto-approve';

export interface DecisionInput {
  decision: UpgradeDecision;
  reason: string | null;
}

/** seed 001 "Approval Workflow Delegation", from request to decision. */
@Injectable()
export class UpgradesService {
  constructor(
    @Inject(TRUST_MINT_CONFIG) private readonly config: TrustMintConfig,
    @Inject(UpgradesRepository) private readonly upgrades: UpgradesRepository,
    @Inject(LicensesRepository) private readonly licenses: LicensesRepository,
    @Inject(ListingsRepository) private readonly listings: ListingsRepository,
    @Inject(LicenseIssuer) private readonly issuer: LicenseIssuer,
    @Inject(LedgerRepository) private readonly ledger: LedgerRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(WebhookFanout) private readonly webhooks: WebhookFanout,
    @Inject(TrustMintTransactions) private readonly transactions: TrustMintTransactions,
  ) {}

  /**
   * Requests OFFICIAL for an active TRIAL. While a request is pending, asking again returns it.
   * Routed to the account's partner (webhook), auto-approved by triage, or queued for BoardingPass.
   */
  async request(
    principal: Principal,
    licenseId: string,
    note: string | null,
  ): Promise<{ request: UpgradeRequest; created: boolean }> {
    return this.transactions.run(async (tx) => {
      const license = await this.licenses.lock(tx, scopeOf(principal), licenseId);
      if (!license) throw new LicenseNotFoundError(licenseId);
      const pending = await this.upgrades.findPendingFor(tx, license.id);
      if (pending) return { request: pending, created: false };
      if (license.type !== 'TRIAL' || license.status !== 'ACTIVE') {
        throw new LicenseNotUpgradableError(license.id, license.type, license.status);
      }
      const route = routeFor({
        partnerSubscribed: await this.webhooks.hasSubscriber(tx, license.accountId, 'license_upgrade.requested'),
        triageCategories: await this.triageCategoriesOf(tx, license.softwareId),
        autoApproveCategories: this.config.TRUST_MINT_AUTO_APPROVE_CATEGORIES,
      });
      const request = await this.upgrades.insert(tx, {
        id: randomUUID(),
        licenseId: license.id,
        accountId: license.accountId,
        deviceId: license.deviceId,
        softwareId: license.softwareId,
        route,
        requestedBy: principal.subject,
        note,
      });
      await this.ledger.append(tx, {
        operation: 'UPGRADE_REQUESTED',
        licenseId: license.id,
        upgradeRequestId: request.id,
        accountId: license.accountId,
        deviceId: license.deviceId,
        softwareId: license.softwareId,
        licenseType: license.type,
        actor: principal.subject,
        details: { route, note },
      });
      await this.outbox.append(
        tx,
        'license_upgrade.requested',
        { requestId: request.id, licenseId: license.id, deviceId: license.deviceId, softwareId: license.softwareId },
        { accountId: license.accountId, deviceId: license.deviceId },
      );
      await this.webhooks.enqueue(tx, {
        accountId: license.accountId,
        eventType: 'license_upgrade.requested',
        eventId: `license_upgrade.requested:${request.id}`,
        data: {
          requestId: request.id,
          licenseId: license.id,
          accountId: license.accountId,
          deviceId: license.deviceId,
          softwareId: license.softwareId,
          note,
          requestedBy: principal.subject,
          requestedAt: request.createdAt.toISOString(),
          decisionPath: `/entitlements/v1/upgrade-requests/${request.id}/decision`,
        },
      });
      if (route !== 'AUTO_APPROVE') return { request, created: true };
      const decided = await this.apply(
        tx,
        request,
        license,
        { decision: 'APPROVE', reason: 'approved by triage category' },
        AUTO_APPROVER,
      );
      return { request: decided, created: true };
    });
  }

  /**
   * Applies a decision once. The same decision again answers with the decided request (a
   * partner's retried callback); the opposite decision is a conflict.
   */
  async decide(
    principal: Principal,
    requestId: string,
    input: DecisionInput,
  ): Promise<{ request: UpgradeRequest; applied: boolean }> {
    return this.transactions.run(async (tx) => {
      const request = await this.upgrades.lock(tx, scopeOf(principal), requestId);
      if (!request) throw new UpgradeRequestNotFoundError(requestId);
      const effect = decisionEffect(request.status, input.decision);
      if (effect === 'repeat') return { request, applied: false };
      if (effect === 'conflict') throw new UpgradeAlreadyDecidedError(request.id, request.status);
      const license = await this.licenses.lock(tx, { kind: 'all' }, request.licenseId);
      if (!license) throw new LicenseNotFoundError(request.licenseId);
      return { request: await this.apply(tx, request, license, input, principal.subject), applied: true };
    });
  }

  async get(principal: Principal, requestId: string): Promise<UpgradeRequest> {
    const request = await this.upgrades.findVisible(scopeOf(principal), requestId);
    if (!request) throw new UpgradeRequestNotFoundError(requestId);
    return request;
  }

  list(principal: Principal, filter: UpgradeFilter, page: PageRequest): Promise<Page<UpgradeRequest>> {
    const scope = scopeOf(principal);
    return this.upgrades.listVisible(scope, scope.kind === 'all' ? filter : { ...filter, accountId: undefined }, page);
  }

  private async apply(
    tx: Tx,
    request: UpgradeRequest,
    trial: License,
    input: DecisionInput,
    decidedBy: string,
  ): Promise<UpgradeRequest> {
    let issuedLicenseId: string | null = null;
    if (input.decision === 'APPROVE') {
      // A TRIAL revoked while the request waited is not brought back as OFFICIAL.
      if (trial.status !== 'ACTIVE') throw new LicenseNotUpgradableError(trial.id, trial.type, trial.status);
      const { license: official } = await this.issuer.issue(tx, {
        accountId: trial.accountId,
        deviceId: trial.deviceId,
        softwareId: trial.softwareId,
        softwareVersion: trial.softwareVersion,
        type: 'OFFICIAL',
        policyLicenseType: trial.policyLicenseType,
        trigger: 'upgrade',
        expiresAt: this.config.TRUST_MINT_OFFICIAL_DAYS
          ? new Date(Date.now() + this.config.TRUST_MINT_OFFICIAL_DAYS * DAY_MS)
          : null,
        sourceKey: `upgrade:${request.id}`,
        actor: decidedBy,
        details: { upgradeRequestId: request.id, upgradedFrom: trial.id },
      });
      // "Update subscription": the device's entitlement to this software is now the OFFICIAL license.
      await this.issuer.supersede(tx, trial, official, decidedBy, request.id);
      issuedLicenseId = official.id;
    }
    const decided = await this.upgrades.markDecided(tx, request.id, {
      status: input.decision === 'APPROVE' ? 'APPROVED' : 'REFUSED',
      reason: input.reason,
      decidedBy,
      issuedLicenseId,
    });
    await this.ledger.append(tx, {
      operation: input.decision === 'APPROVE' ? 'UPGRADE_APPROVED' : 'UPGRADE_REFUSED',
      licenseId: trial.id,
      upgradeRequestId: request.id,
      accountId: trial.accountId,
      deviceId: trial.deviceId,
      softwareId: trial.softwareId,
      licenseType: trial.type,
      actor: decidedBy,
      details: { reason: input.reason, route: request.route, issuedLicenseId },
    });
    await this.outbox.append(
      tx,
      'license_upgrade.decided',
      { requestId: request.id, decision: input.decision, reason: input.reason, decidedBy },
      { accountId: trial.accountId, deviceId: trial.deviceId },
    );
    await this.webhooks.enqueue(tx, {
      accountId: trial.accountId,
      eventType: 'license_upgrade.decided',
      eventId: `license_upgrade.decided:${request.id}`,
      data: {
        requestId: request.id,
        licenseId: trial.id,
        decision: input.decision,
        reason: input.reason,
        decidedBy,
        issuedLicenseId,
      },
    });
    return decided;
  }

  /** The categories auto-approval is decided on: the listing's category and software type. */
  private async triageCategoriesOf(tx: Tx, softwareId: string): Promise<string[]> {
    if (softwareId === this.config.TRUST_MINT_TRIAL_SOFTWARE_ID)
      return [this.config.TRUST_MINT_TRIAL_SOFTWARE_CATEGORY];
    const listing = await this.listings.find(softwareId, tx);
    return listing ? [listing.category, listing.softwareType] : [];
  }
}
