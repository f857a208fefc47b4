import type { TargetAttributes, TargetPredicate } from '@flexgalaxy/targeting';
import type { MatchingPolicy } from './policy.js';

/** Key of an installed software: the same name of two owners is two softwares. */
export const softwareKey = (ownerAccountId: string, softwareName: string) => `${ownerAccountId}\u0000${softwareName}`;

interface CompiledPolicy {
  policy: MatchingPolicy;
  predicate: TargetPredicate;
  software: string;
}

/**
 * The active policies with their predicates compiled once: the one-target tier evaluates every
 * one of them for each new target, so per-target work is only the predicate calls.
 */
export class CompiledPolicySet {
  private readonly compiled: readonly CompiledPolicy[];

  constructor(policies: readonly MatchingPolicy[], compile: (expression: string) => TargetPredicate) {
    this.compiled = policies.map((policy) => ({
      policy,
      predicate: compile(policy.targetExpression),
      software: softwareKey(policy.ownerAccountId, policy.softwareName),
    }));
  }

  get size(): number {
    return this.compiled.length;
  }

  /**
   * The policies whose expression the target satisfies, in the set's order. `software_version`
   * is the target's installed version of each policy's own software (absent: null).
   */
  matching(attributes: TargetAttributes, installed: ReadonlyMap<string, string>): MatchingPolicy[] {
    // One scratch object for every policy: a copy per policy cost more than the predicates.
    const scratch: { -readonly [K in keyof TargetAttributes]: TargetAttributes[K] } = {
      ...attributes,
      software_version: null,
    };
    const matched: MatchingPolicy[] = [];
    for (const { policy, predicate, software } of this.compiled) {
      scratch.software_version = installed.get(software) ?? null;
      if (predicate(scratch)) matched.push(policy);
    }
    return matched;
  }
}
