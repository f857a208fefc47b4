import type { RolloutConstraints } from './constraints.js';
import type { SoftwareCategory } from './entitlement.js';
import type { RetryPolicy } from './retry.js';
import type { WavePlan } from './waves.js';

export type ActionType = 'forced' | 'soft' | 'downloadonly';
export type PolicyStatus = 'active' | 'paused' | 'aborted' | 'deleted';

export interface Policy {
  id: string;
  ownerAccountId: string;
  name: string;
  targetExpression: string;
  distributionSetId: number;
  listingId: string | null;
  category: SoftwareCategory;
  actionType: ActionType;
  constraints: RolloutConstraints & { maxConcurrent: number | null };
  waves: WavePlan | null;
  currentWave: number;
  retry: RetryPolicy;
  status: PolicyStatus;
  bulkMatch: BulkMatchProgress;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The bulk tier's progress on the targets that were there when the policy was (re)matched:
 * `pending` while chunks remain; `done` of `candidates` gone through (null: not counted).
 */
export interface BulkMatchProgress {
  pending: boolean;
  done: number;
  candidates: number | null;
}

/** What matching needs of a policy: its expression, its software and how it is entitled. */
export interface MatchingPolicy {
  id: string;
  ownerAccountId: string;
  targetExpression: string;
  distributionSetId: number;
  /** The software is the distribution set's name (per owner); its version, the set's version. */
  softwareName: string;
  softwareVersion: string;
  listingId: string | null;
  category: SoftwareCategory;
  wavePercentages: number[];
  currentWave: number;
}

export interface NewPolicy {
  id: string;
  ownerAccountId: string;
  name: string;
  targetExpression: string;
  distributionSetId: number;
  listingId: string | null;
  category: SoftwareCategory;
  actionType: ActionType;
  constraints: RolloutConstraints & { maxConcurrent: number | null };
  waves: WavePlan | null;
  retry: RetryPolicy;
}

export type PolicyChanges = Partial<
  Pick<NewPolicy, 'name' | 'targetExpression' | 'distributionSetId' | 'actionType' | 'constraints' | 'waves' | 'retry'>
> & { status?: 'active' | 'paused' };
