/**
 * seed 000 §4 "Policy-Driven License Issuance": which facts about a device and a listing's
 * software make TrustMint issue a license, under the listing's trigger. Pure: the service feeds
 * it the facts not used yet and the licenses that still entitle.
 */
export type IssuanceTrigger = 'on_install' | 'on_activation' | 'on_download' | 'on_install_validated';
export type FactKind = 'INSTALLED' | 'DOWNLOADED' | 'VALIDATED' | 'ACTIVATED';

export interface IssuanceFact {
  id: string;
  kind: FactKind;
  softwareVersion: string | null;
  /** Validation result (VALIDATED facts only). */
  passed: boolean | null;
  occurredAt: Date;
  /** The device's account when the fact was reported (the license's, if TrustMint has no device record). */
  accountId?: string;
}

export interface PlannedIssue {
  softwareVersion: string | null;
  /** The facts this license uses up; the first one names the issuance (its source key). */
  factIds: string[];
}

export interface IssuancePlan {
  issue: PlannedIssue[];
  /** Facts used up without a license: already licensed, or a failed validation. */
  consume: { factIds: string[]; reason: string }[];
}

export interface CurrentEntitlements {
  /** Whether the device holds a license for this software that still entitles. */
  any: boolean;
  /** Versions with such a license (version-locked policies). */
  versions: ReadonlySet<string | null>;
}

const byTime = (a: IssuanceFact, b: IssuanceFact) => a.occurredAt.getTime() - b.occurredAt.getTime();

/** One license per device, whatever the version (firmware on install; subscription on activation). */
function oncePerDevice(facts: IssuanceFact[], current: CurrentEntitlements): IssuancePlan {
  if (facts.length === 0) return { issue: [], consume: [] };
  const ids = facts.map((fact) => fact.id);
  if (current.any) return { issue: [], consume: [{ factIds: ids, reason: 'already licensed' }] };
  return { issue: [{ softwareVersion: facts.at(-1)!.softwareVersion, factIds: ids }], consume: [] };
}

export function planIssuance(
  trigger: IssuanceTrigger,
  unconsumed: readonly IssuanceFact[],
  current: CurrentEntitlements,
): IssuancePlan {
  const facts = [...unconsumed].sort(byTime);
  const of = (kind: FactKind) => facts.filter((fact) => fact.kind === kind);
  switch (trigger) {
    case 'on_install':
      return oncePerDevice(of('INSTALLED'), current);
    case 'on_activation':
      return oncePerDevice(of('ACTIVATED'), current);
    case 'on_download':
      // Per-update consumable: every completed download consumes (is) one license.
      return {
        issue: of('DOWNLOADED').map((fact) => ({ softwareVersion: fact.softwareVersion, factIds: [fact.id] })),
        consume: [],
      };
    case 'on_install_validated': {
      const plan: IssuancePlan = { issue: [], consume: [] };
      const installs = of('INSTALLED');
      const licensed = new Set(current.versions);
      for (const validation of of('VALIDATED')) {
        if (!validation.passed) {
          plan.consume.push({ factIds: [validation.id], reason: 'model validation failed' });
          continue;
        }
        const installed = installs.filter((fact) => fact.softwareVersion === validation.softwareVersion);
        // A passed self-test before the install is reported waits for it.
        if (installed.length === 0) continue;
        const ids = [validation.id, ...installed.map((fact) => fact.id)];
        if (licensed.has(validation.softwareVersion)) {
          plan.consume.push({ factIds: ids, reason: 'already licensed for this version' });
        } else {
          plan.issue.push({ softwareVersion: validation.softwareVersion, factIds: ids });
          licensed.add(validation.softwareVersion);
        }
      }
      return plan;
    }
  }
}
