import { DomainError } from '@flexgalaxy/contracts';

export class SubscriptionNotFoundError extends DomainError {
  readonly code = 'SUBSCRIPTION.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(accountId: string) {
    super('the account has not subscribed to TrustMint', { accountId });
  }
}
