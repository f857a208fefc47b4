import type { lifecycleStateSchema } from '@flexgalaxy/contracts';
import type { z } from 'zod';

export type LifecycleState = z.output<typeof lifecycleStateSchema>;

/** One device in the ownership projection. */
export interface DeviceRecord {
  id: string;
  ownerAccountId: string;
  /** The owner's account path; null while org does not know the owner account yet. */
  ownerPath: string | null;
  serial: string;
  type: string;
  model: string | null;
  revision: string | null;
  manufacturer: string;
  state: LifecycleState;
  updatedAt: Date;
}

/** What DeviceAdmin may filter on, beside the caller's visibility. */
export interface DeviceFilter {
  /** Devices owned by exactly this account. */
  ownerAccountId?: string;
  type?: string;
  model?: string;
  state?: LifecycleState;
}

export interface DeviceCounts {
  /** Devices the account owns itself. */
  owned: number;
  /** Devices of the account and all its descendants (what its DeviceAdmin view shows). */
  total: number;
}
