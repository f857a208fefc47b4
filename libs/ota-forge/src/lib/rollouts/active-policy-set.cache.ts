import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@flexgalaxy/db';
import { CompiledPolicySet } from './domain/compiled-policy-set.js';
import { predicateOf } from './domain/target-expression.js';
import { PoliciesRepository } from './policies.repository.js';

/**
 * The active policies, loaded and compiled once per version of the set. Each use asks the
 * database for the set's version (one row) in the caller's transaction and reloads when it differs,
 * so a policy added, changed, paused or deleted by any process is seen at once, and a set read
 * inside a transaction that later rolls back is never mistaken for the committed one.
 */
@Injectable()
export class ActivePolicySetCache {
  private cached: { version: string; set: CompiledPolicySet } | null = null;

  constructor(@Inject(PoliciesRepository) private readonly policies: PoliciesRepository) {}

  async current(tx: Tx): Promise<CompiledPolicySet> {
    const version = await this.policies.activeSetVersion(tx);
    if (this.cached?.version === version) return this.cached.set;
    const loaded = await this.policies.activeForMatchingVersioned(tx);
    // predicateOf keeps compiled predicates by expression text: one changed policy recompiles one.
    const set = new CompiledPolicySet(loaded.policies, predicateOf);
    this.cached = { version: loaded.version, set };
    return set;
  }
}
