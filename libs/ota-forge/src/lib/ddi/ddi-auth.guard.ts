import { createParamDecorator, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { OTA_FORGE_CONFIG, type OtaForgeConfig } from '../ota-forge.config.js';
import { hashTargetToken } from '../shared/token-hash.js';
import type { PollSnapshot } from './ddi.repository.js';
import { TargetUnauthenticatedError } from './ddi.errors.js';
import { PollSnapshotLoader } from './poll-snapshot.loader.js';

interface DdiRequest {
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string | undefined>;
  ddiTarget?: PollSnapshot;
}

const TOKEN_HEADER = /^TargetToken\s+(\S{1,512})$/i;

/**
 * hawkBit's TargetToken authentication: the token's sha256 finds the target (unique index) in the
 * same statement that fetches its open action, so authenticating IS the poll's one lookup (shared
 * with the polls arriving at the same time, see PollSnapshotLoader). The token's target must be
 * the path's controllerId; every failure is the same 401.
 */
@Injectable()
export class DdiAuthGuard implements CanActivate {
  constructor(
    @Inject(PollSnapshotLoader) private readonly snapshots: PollSnapshotLoader,
    @Inject(OTA_FORGE_CONFIG) private readonly config: OtaForgeConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DdiRequest>();
    const header = request.headers['authorization'];
    const token = typeof header === 'string' ? TOKEN_HEADER.exec(header.trim())?.[1] : undefined;
    if (!token || request.params['tenant'] !== this.config.DDI_TENANT) throw new TargetUnauthenticatedError();
    const target = await this.snapshots.load(hashTargetToken(token));
    if (!target || !target.enabled || target.controllerId !== request.params['controllerId']) {
      throw new TargetUnauthenticatedError();
    }
    request.ddiTarget = target;
    return true;
  }
}

/** The authenticated target and its poll snapshot (only behind DdiAuthGuard). */
export const DdiTarget = createParamDecorator((_data: unknown, context: ExecutionContext): PollSnapshot => {
  const target = context.switchToHttp().getRequest<DdiRequest>().ddiTarget;
  if (!target) throw new TargetUnauthenticatedError();
  return target;
});
