import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import { OTA_FORGE_CONFIG, type OtaForgeConfig } from '../ota-forge.config.js';
import { ArtifactStore } from './artifact-store.js';
import { DistributionSetNotFoundError, SoftwareModuleNotFoundError, UnknownModulesError } from './catalog.errors.js';
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

/** A developer account's software: modules, their artifacts, and distribution sets of modules. */
@Injectable()
export class CatalogService {
  constructor(
    @Inject(CatalogRepository) private readonly catalog: CatalogRepository,
    @Inject(ArtifactStore) private readonly store: ArtifactStore,
    @Inject(OTA_FORGE_CONFIG) private readonly config: OtaForgeConfig,
  ) {}

  createModule(
    principal: Principal,
    module: { name: string; version: string; type: string; vendor: string | null; description: string | null },
  ): Promise<SoftwareModule> {
    return this.catalog.insertModule(principal.accountId, module);
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
    await this.getModule(principal, moduleId);
    const stored = await this.store.put(body, this.config.ARTIFACT_MAX_BYTES);
    try {
      const { sha1, md5, sha256, size } = stored;
      return await this.catalog.insertArtifact(moduleId, { filename, sha1, md5, sha256, size });
    } catch (error) {
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
    return this.catalog.insertSet(principal.accountId, { ...set, moduleIds: set.modules });
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
