import type { Answer, OtaForgeHarness } from './ota-forge.harness.js';

export interface ControllerBase {
  config: { polling: { sleep: string } };
  _links?: Record<string, { href: string }>;
}

export interface DeploymentBase {
  id: string;
  deployment: {
    download: string;
    update: string;
    maintenanceWindow?: string;
    chunks: {
      part: string;
      version: string;
      name: string;
      artifacts: {
        filename: string;
        size: number;
        hashes: { sha1: string; md5: string; sha256: string };
        _links: Record<string, { href: string }>;
      }[];
    }[];
  };
  actionHistory?: { status: string; messages: string[] };
}

/**
 * A device as a hawkBit DDI client drives it: it knows only its base URL and TargetToken, and
 * follows the links the server hands out.
 */
export class ScriptedDdiClient {
  constructor(
    private readonly harness: OtaForgeHarness,
    readonly controllerId: string,
    private token: string,
    readonly tenant = 'DEFAULT',
  ) {}

  get root(): string {
    return `/${this.tenant}/controller/v1/${this.controllerId}`;
  }

  useToken(token: string): void {
    this.token = token;
  }

  private path(href: string): string {
    return href.startsWith('http') ? new URL(href).pathname + new URL(href).search : href;
  }

  get<T = Record<string, unknown>>(hrefOrPath: string, headers: Record<string, string> = {}): Promise<Answer<T>> {
    return this.harness.call<T>('GET', this.path(hrefOrPath), `TargetToken ${this.token}`, undefined, headers);
  }

  poll(): Promise<Answer<ControllerBase>> {
    return this.get<ControllerBase>(this.root);
  }

  async deploymentLink(): Promise<string | null> {
    const answer = await this.poll();
    if (answer.status !== 200) throw new Error(`poll answered ${answer.status}`);
    return answer.body._links?.['deploymentBase']?.href ?? null;
  }

  async deployment(): Promise<DeploymentBase> {
    const link = await this.deploymentLink();
    if (!link) throw new Error('no deploymentBase link');
    const answer = await this.get<DeploymentBase>(link);
    if (answer.status !== 200) throw new Error(`deploymentBase answered ${answer.status}`);
    return answer.body;
  }

  feedback(
    actionId: string,
    execution: string,
    finished = 'none',
    extra: Record<string, unknown> = {},
    kind: 'deploymentBase' | 'cancelAction' = 'deploymentBase',
  ): Promise<Answer> {
    return this.harness.call('POST', `${this.root}/${kind}/${actionId}/feedback`, `TargetToken ${this.token}`, {
      id: actionId,
      status: { execution, result: { finished }, ...extra },
    });
  }

  /** Downloads the whole deployment, checks every artifact's sha256, reports success. */
  async install(deployment: DeploymentBase): Promise<void> {
    await this.feedback(deployment.id, 'proceeding');
    for (const chunk of deployment.deployment.chunks) {
      for (const artifact of chunk.artifacts) {
        const href = artifact._links['download-http']?.href ?? artifact._links['download']?.href ?? '';
        const download = await this.get(href);
        if (download.status !== 200) throw new Error(`download answered ${download.status}`);
        const { createHash } = await import('node:crypto');
        if (createHash('sha256').update(download.raw).digest('hex') !== artifact.hashes.sha256) {
          throw new Error('sha256 mismatch');
        }
      }
    }
    await this.feedback(deployment.id, 'downloaded');
    const closed = await this.feedback(deployment.id, 'closed', 'success');
    if (closed.status !== 200) throw new Error(`closed feedback answered ${closed.status}`);
  }
}
