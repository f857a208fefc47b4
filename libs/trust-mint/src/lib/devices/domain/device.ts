/** A device as TrustMint knows it from device.* events. */
export interface TrustMintDevice {
  id: string;
  accountId: string;
  enrolledAccountId: string;
  attributes: Record<string, unknown>;
  state: string;
  enrolledAt: Date;
  lastEventAt: Date;
}
