import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import { ActionsRepository, type SoftwareReport } from '../rollouts/actions.repository.js';
import type { ActionView } from '../rollouts/domain/action.js';
import { EntitlementsRepository } from '../rollouts/entitlements.repository.js';
import { PoliciesRepository } from '../rollouts/policies.repository.js';
import { TargetsReadRepository } from './targets-read.repository.js';
import { DeviceNotFoundError, ReportNotFoundError } from './actions.errors.js';

/** Days of history the report's trend covers. */
const TREND_DAYS = 30;

/** What the device owner and the software developer may read about deployments. */
@Injectable()
export class ActionsService {
  constructor(
    @Inject(ActionsRepository) private readonly actions: ActionsRepository,
    @Inject(TargetsReadRepository) private readonly targets: TargetsReadRepository,
    @Inject(EntitlementsRepository) private readonly entitlements: EntitlementsRepository,
    @Inject(PoliciesRepository) private readonly policies: PoliciesRepository,
  ) {}

  /** A device's actions, for its owner (or a platform admin). */
  async forDevice(principal: Principal, deviceId: string): Promise<ActionView[]> {
    const owner = await this.targets.ownerOf(deviceId);
    if (owner === null || (!principal.isPlatformAdmin && owner !== principal.accountId)) {
      throw new DeviceNotFoundError(deviceId);
    }
    return this.actions.listForTarget(deviceId);
  }

  /** Aggregates for the listing's developer (seed 000 §4 "Developer Visibility"); never device ids. */
  async softwareReport(principal: Principal, listingId: string, version: string | null): Promise<SoftwareReport> {
    if (!principal.isPlatformAdmin) {
      const listing = await this.entitlements.findListing(listingId);
      const allowed = listing
        ? listing.developerAccountId === principal.accountId
        : await this.policies.ownsPolicyOfListing(principal.accountId, listingId);
      if (!allowed) throw new ReportNotFoundError(listingId);
    }
    return this.actions.softwareReport(listingId, version, TREND_DAYS);
  }
}
