/** A partner endpoint for some event types of one account (the secret is never part of it). */
export interface WebhookSubscriber {
  id: string;
  accountId: string;
  url: string;
  eventTypes: string[];
  description: string;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'PENDING' | 'SENDING' | 'SUCCEEDED' | 'DEAD';

export interface WebhookAttempt {
  number: number;
  manual: boolean;
  startedAt: Date;
  latencyMs: number;
  statusCode: number | null;
  outcome: string;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  subscriberId: string;
  accountId: string;
  eventType: string;
  eventId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  deadAt: Date | null;
  createdAt: Date;
}

/** The body every delivery carries (Standard Webhooks' recommended envelope). */
export interface WebhookMessage {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** A delivery a worker has leased, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  subscriberId: string;
  eventType: string;
  payload: WebhookMessage;
  attempts: number;
  roundAttempts: number;
  url: string;
  secret: string;
  subscriberActive: boolean;
}

export type AttemptOutcome = 'succeeded' | 'failed' | 'timeout' | 'error' | 'refused';
