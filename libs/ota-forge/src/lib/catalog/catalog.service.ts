import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { OTA_BACKEND, type OtaBackend } from '@flexgalaxy/adapters';
import type { Principal } from '@flexgalaxy/auth';
import { OTA_FORGE_CONFIG, type OtaForgeConfig } from '../ota-forge.config.js';
import { hawkbitName } from '../shared/hawkbit-names.js';
import { ArtifactStore } from './artifact-store.js';
import {
  DistributionSetNotFoundError,
  NotInHawkbitError,
  SoftwareModuleNotFoundError,
  UnknownModulesError,
} from './catalog.errors.js';
import {
  CatalogRepository,
  type Artifact,
  type CatalogScope,
  type DistributionSet,
  type SoftwareModule,
} from './catalog.repository.js';

export function catalogScopeOf(principal: Principal): CatalogScope {
  return principal.isPlatformAdmin ? { kind: 'all' } : { kind: 'own', accountId: principal.accountId };
}

/**
 * A developer account's software: modules, their artifacts, and distribution sets of modules.
 * In hawkBit mode each is made in hawkBit first (or, for artifacts, right after our copy is
 * stored) and hawkBit's id is kept beside ours; whichever side fails, the other is undone.
 */
@Injectable()
export class CatalogService {
  private readonly logger = new Logger('ota-catalog');

  constructor(
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(ArtifactStore) private readonly store: ArtifactStore,
    @Inject(OTA_FORGE_CONFIG) private readonly config: OtaForgeConfig,
    @Inject(OTA_BACKEND) private readonly backend: OtaBackend | null,
  ) {}

  async createModule(
    principal: Principal,
    module: { name: string; version: string; type: string; vendor: string | null; description: string | null },
  ): Promise<SoftwareModule> {
    const backend = this.backend;
    if (!backend) return this.catalog.insertModule(principal.accountId, module);
    const { id } = await backend.createSoftwareModule({
      name: hawkbitName(principal.accountId, module.name),
      version: module.version,
      part: module.type,
      vendor: module.vendor,
      description: module.description,
    });
    return this.undoInBackendOnFailure(
      () => this.catalog.insertModule(principal.accountId, module, id),
      () => backend.deleteSoftwareModule(id),
    );
  }

  /** Runs `work`; if it fails, `undo` removes what hawkBit was given for it. */
  private async undoInBackendOnFailure<T>(work: () => Promise<T>, undo: () => Promise<void>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      await undo().catch((undoError: unknown) =>
        this.logger.error({ err: undoError }, 'could not undo a hawkBit catalog write'),
      );
      throw error;
    }
  }

  async getModule(principal: Principal, id: number): Promise<SoftwareModule> {
    const module = await this.catalog.findModule(catalogScopeOf(principal), id);
    if (!module) throw new SoftwareModuleNotFoundError(id);
    return module;
  }

  listModules(principal: Principal): Promise<SoftwareModule[]> {
    return this.catalog.listModules(catalogScopeOf(principal));
  }

  /**
   * Streams the body to the store while hashing it, then records it. If recording fails
   * (duplicate name), bytes this upload added are removed again: a failed request changes nothing.
   */
  async upload(principal: Principal, moduleId: number, filename: string, body: Readable): Promise<Artifact> {
    const module = await this.getModule(principal, moduleId);
    if (this.backend && module.hawkbitId === null) throw new NotInHawkbitError([moduleId]);
    const stored = await this.store.put(body, this.config.ARTIFACT_MAX_BYTES);
    let artifact: Artifact | null = null;
    try {
      const { sha1, md5, sha256, size } = stored;
      artifact = await this.catalog.insertArtifact(moduleId, { filename, sha1, md5, sha256, size });
      if (!this.backend || module.hawkbitId === null) return artifact;
      // Streamed from our store (never buffered whole); hawkBit checks the three hashes.
      const content = this.store.read(sha256);
      try {
        const mirrored = await this.backend.uploadArtifact(module.hawkbitId, {
          filename,
          size,
          sha1,
          md5,
          sha256,
          content,
        });
        return await this.catalog.setArtifactHawkbitId(artifact.id, mirrored.id);
      } finally {
        content.destroy();
      }
    } catch (error) {
      if (artifact) await this.catalog.deleteArtifact(artifact.id);
      if (stored.created && !(await this.catalog.isStored(stored.sha256))) await this.store.remove(stored.sha256);
      throw error;
    }
  }

  async createSet(
    principal: Principal,
    set: { name: string; version: string; description: string | null; modules: number[] },
  ): Promise<DistributionSet> {
    const known = await this.catalog.ownedModuleIds({ kind: 'own', accountId: principal.accountId }, set.modules);
    const unknown = set.modules.filter((id) => !known.includes(id));
    if (unknown.length > 0) throw new UnknownModulesError(unknown);
    const backend = this.backend;
    if (!backend) return this.catalog.insertSet(principal.accountId, { ...set, moduleIds: set.modules });
    const modules = await Promise.all(set.modules.map((id) => this.getModule(principal, id)));
    const missing = modules.filter((module) => module.hawkbitId === null).map((module) => module.id);
    if (missing.length > 0) throw new NotInHawkbitError(missing);
    const { id } = await backend.createDistributionSet({
      name: hawkbitName(principal.accountId, set.name),
      version: set.version,
      description: set.description,
      modules: modules.map((module) => ({ id: module.hawkbitId!, part: module.type })),
    });
    return this.undoInBackendOnFailure(
      () => this.catalog.insertSet(principal.accountId, { ...set, moduleIds: set.modules }, id),
      () => backend.deleteDistributionSet(id),
    );
  }

  async getSet(principal: Principal, id: number): Promise<DistributionSet> {
    const set = await this.catalog.findSet(catalogScopeOf(principal), id);
    if (!set) throw new DistributionSetNotFoundError(id);
    return set;
  }

  listSets(principal: Principal): Promise<DistributionSet[]> {
    return this.catalog.listSets(catalogScopeOf(principal));
  }
}
