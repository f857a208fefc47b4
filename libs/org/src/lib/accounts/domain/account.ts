import type { accountKindSchema } from '@flexgalaxy/contracts';
import type { z } from 'zod';

export type AccountKind = z.output<typeof accountKindSchema>;

/** One account of the org hierarchy, as the org service reasons about it. */
export interface Account {
  id: string;
  name: string;
  kind: AccountKind;
  parentId: string | null;
  /** The root of its organisation (itself for a top-level account). */
  orgRootId: string;
  /** Materialized ancestor path, "/rootId/…/id/" (libs/auth visibility). */
  path: string;
  /** 0 for a top-level account. */
  depth: number;
  createdAt: Date;
}

export type NewAccount = Omit<Account, 'createdAt'>;
