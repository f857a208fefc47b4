import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { canWrite, type Principal } from '@flexgalaxy/auth';
import { AccountDirectory } from '../accounts/account-directory.js';
import { UnknownAccountError } from '../manufacturer-cas/manufacturer-cas.errors.js';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../provisioning.config.js';
import { newToken, sha256Hex } from '../shared/secrets.js';
import { InvalidTokenExpiryError } from './claim-tokens.errors.js';
import { ClaimTokensRepository, type StoredClaimToken } from './claim-tokens.repository.js';
import { expiryOf, TOKEN_PREFIX, type ClaimTokenKind, type Priority } from './domain/claim-token-rules.js';

export interface ClaimTokenBatchRequest {
  accountId: string;
  deviceType: string;
  priority: Priority;
  count: number;
  kind: ClaimTokenKind;
  expiresInSeconds?: number | undefined;
  expiresAt?: Date | undefined;
}

export interface IssuedClaimToken extends StoredClaimToken {
  token: string;
}

/** Claim / pre-shared token batches (seed 002 "Claim Tokens" steps 1-2), for one account each. */
@Injectable()
export class ClaimTokensService {
  constructor(
    @Inject(ClaimTokensRepository) private readonly tokens: ClaimTokensRepository,
    @Inject(AccountDirectory) private readonly accounts: AccountDirectory,
    @Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig,
  ) {}

  async generate(
    principal: Principal,
    request: ClaimTokenBatchRequest,
  ): Promise<{ batchId: string; tokens: IssuedClaimToken[] }> {
    await this.requireOwnAccount(principal, request.accountId);
    const now = new Date();
    const expiry = expiryOf(now, request, {
      defaultSeconds: this.config.CLAIM_TOKEN_DEFAULT_TTL_SECONDS,
      maxSeconds: this.config.CLAIM_TOKEN_MAX_TTL_SECONDS,
    });
    if (!expiry.ok) throw new InvalidTokenExpiryError(expiry.problem, this.config.CLAIM_TOKEN_MAX_TTL_SECONDS);
    const batchId = randomUUID();
    const issued: IssuedClaimToken[] = Array.from({ length: request.count }, () => {
      const token = newToken(TOKEN_PREFIX[request.kind]);
      return {
        id: randomUUID(),
        token,
        tokenHint: token.slice(0, TOKEN_PREFIX[request.kind].length + 4),
        kind: request.kind,
        accountId: request.accountId,
        deviceType: request.deviceType,
        priority: request.priority,
        batchId,
        expiresAt: expiry.expiresAt,
        usedAt: null,
        usedByDeviceId: null,
        createdAt: now,
      };
    });
    await this.tokens.insertBatch(
      issued.map(({ token, usedAt: _u, usedByDeviceId: _d, createdAt: _c, ...stored }) => ({
        ...stored,
        tokenHash: sha256Hex(token),
        createdBy: principal.subject,
      })),
    );
    return { batchId, tokens: issued };
  }

  /** Unused, unexpired tokens of an account the caller owns (platform admins: any). */
  async listUnused(
    principal: Principal,
    accountId: string,
    page: { after: string | null; limit: number },
  ): Promise<{ items: StoredClaimToken[]; nextAfter: string | null }> {
    await this.requireOwnAccount(principal, accountId);
    const rows = await this.tokens.listUnused(accountId, new Date(), page);
    const items = rows.slice(0, page.limit);
    return { items, nextAfter: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
  }

  private async requireOwnAccount(principal: Principal, accountId: string): Promise<void> {
    // Tokens are credentials for an account: only the account itself (or an admin) handles them;
    // to anyone else the account does not exist, ancestors included.
    if (!canWrite(principal, accountId) || !(await this.accounts.find(accountId))) {
      throw new UnknownAccountError(accountId);
    }
  }
}
