import { Inject, Injectable } from '@nestjs/common';
import { isUniqueViolation, PrismaService, type Prisma, type Tx } from '@flexgalaxy/db';
import {
  DuplicateArtifactError,
  DuplicateDistributionSetError,
  DuplicateSoftwareModuleError,
} from './catalog.errors.js';

export interface Artifact {
  id: number;
  softwareModuleId: number;
  filename: string;
  size: number;
  sha1: string;
  md5: string;
  sha256: string;
  /** hawkBit's id of the artifact (hawkBit mode). */
  hawkbitId: number | null;
  createdAt: Date;
}

export interface SoftwareModule {
  id: number;
  ownerAccountId: string;
  name: string;
  version: string;
  type: string;
  vendor: string | null;
  description: string | null;
  artifacts: Artifact[];
  /** hawkBit's id of the module (hawkBit mode). */
  hawkbitId: number | null;
  createdAt: Date;
}

export interface DistributionSet {
  id: number;
  ownerAccountId: string;
  name: string;
  version: string;
  description: string | null;
  modules: SoftwareModule[];
  /** hawkBit's id of the set (hawkBit mode). */
  hawkbitId: number | null;
  createdAt: Date;
}

/** An owner scope: one account's catalog, or (platform admin) everyone's. */
export type CatalogScope = { kind: 'all' } | { kind: 'own'; accountId: string };

const owned = (scope: CatalogScope) => (scope.kind === 'own' ? { ownerAccountId: scope.accountId } : {});

type ArtifactRow = Prisma.OtaArtifactGetPayload<object>;
type ModuleRow = Prisma.OtaSoftwareModuleGetPayload<{ include: { artifacts: true } }>;

export function toArtifact(row: ArtifactRow): Artifact {
  return {
    id: Number(row.id),
    softwareModuleId: Number(row.softwareModuleId),
    filename: row.filename,
    size: Number(row.size),
    sha1: row.sha1,
    md5: row.md5,
    sha256: row.sha256,
    hawkbitId: row.hawkbitId === null ? null : Number(row.hawkbitId),
    createdAt: row.createdAt,
  };
}

export function toModule(row: ModuleRow): SoftwareModule {
  return {
    id: Number(row.id),
    ownerAccountId: row.ownerAccountId,
    name: row.name,
    version: row.version,
    type: row.type,
    vendor: row.vendor,
    description: row.description,
    artifacts: [...row.artifacts].sort((a, b) => Number(a.id - b.id)).map(toArtifact),
    hawkbitId: row.hawkbitId === null ? null : Number(row.hawkbitId),
    createdAt: row.createdAt,
  };
}

const setInclude = {
  modules: { include: { module: { include: { artifacts: true } } }, orderBy: { softwareModuleId: 'asc' } },
} satisfies Prisma.OtaDistributionSetInclude;

function toSet(row: Prisma.OtaDistributionSetGetPayload<{ include: typeof setInclude }>): DistributionSet {
  return {
    id: Number(row.id),
    ownerAccountId: row.ownerAccountId,
    name: row.name,
    version: row.version,
    description: row.description,
    modules: row.modules.map((link) => toModule(link.module)),
    hawkbitId: row.hawkbitId === null ? null : Number(row.hawkbitId),
    createdAt: row.createdAt,
  };
}

/** The only door to software modules, artifacts and distribution sets. */
@Injectable()
export class CatalogRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async insertModule(
    ownerAccountId: string,
    module: { name: string; version: string; type: string; vendor: string | null; description: string | null },
    hawkbitId: number | null = null,
  ): Promise<SoftwareModule> {
    try {
      const row = await this.prisma.otaSoftwareModule.create({
        data: { ownerAccountId, ...module, hawkbitId: hawkbitId === null ? null : BigInt(hawkbitId) },
        include: { artifacts: true },
      });
      return toModule(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateSoftwareModuleError();
      throw error;
    }
  }

  async findModule(scope: CatalogScope, id: number): Promise<SoftwareModule | null> {
    const row = await this.prisma.otaSoftwareModule.findFirst({
      where: { id: BigInt(id), ...owned(scope) },
      include: { artifacts: true },
    });
    return row ? toModule(row) : null;
  }

  async listModules(scope: CatalogScope): Promise<SoftwareModule[]> {
    const rows = await this.prisma.otaSoftwareModule.findMany({
      where: owned(scope),
      include: { artifacts: true },
      orderBy: { id: 'asc' },
      take: 500,
    });
    return rows.map(toModule);
  }

  async insertArtifact(
    moduleId: number,
    artifact: { filename: string; size: number; sha1: string; md5: string; sha256: string },
  ): Promise<Artifact> {
    try {
      const row = await this.prisma.otaArtifact.create({
        data: { softwareModuleId: BigInt(moduleId), ...artifact, size: BigInt(artifact.size) },
      });
      return toArtifact(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateArtifactError(artifact.filename);
      throw error;
    }
  }

  async setArtifactHawkbitId(id: number, hawkbitId: number): Promise<Artifact> {
    const row = await this.prisma.otaArtifact.update({
      where: { id: BigInt(id) },
      data: { hawkbitId: BigInt(hawkbitId) },
    });
    return toArtifact(row);
  }

  /** Undoes an insertArtifact whose mirroring to hawkBit failed. */
  async deleteArtifact(id: number): Promise<void> {
    await this.prisma.otaArtifact.deleteMany({ where: { id: BigInt(id) } });
  }

  async artifactExists(moduleId: number, filename: string): Promise<boolean> {
    return (await this.prisma.otaArtifact.count({ where: { softwareModuleId: BigInt(moduleId), filename } })) > 0;
  }

  /** Whether any artifact row still refers to these bytes (content-addressed files are shared). */
  async isStored(sha256: string): Promise<boolean> {
    return (await this.prisma.otaArtifact.count({ where: { sha256 } })) > 0;
  }

  /** Which of these module ids the scope owns. */
  async ownedModuleIds(scope: CatalogScope, ids: number[]): Promise<number[]> {
    const rows = await this.prisma.otaSoftwareModule.findMany({
      where: { id: { in: ids.map((id) => BigInt(id)) }, ...owned(scope) },
      select: { id: true },
    });
    return rows.map((row) => Number(row.id));
  }

  async insertSet(
    ownerAccountId: string,
    set: { name: string; version: string; description: string | null; moduleIds: number[] },
    hawkbitId: number | null = null,
  ): Promise<DistributionSet> {
    try {
      const row = await this.prisma.otaDistributionSet.create({
        data: {
          ownerAccountId,
          hawkbitId: hawkbitId === null ? null : BigInt(hawkbitId),
          name: set.name,
          version: set.version,
          description: set.description,
          modules: { create: set.moduleIds.map((id) => ({ softwareModuleId: BigInt(id) })) },
        },
        include: setInclude,
      });
      return toSet(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateDistributionSetError();
      throw error;
    }
  }

  async findSet(scope: CatalogScope, id: number, tx?: Tx): Promise<DistributionSet | null> {
    const row = await (tx ?? this.prisma).otaDistributionSet.findFirst({
      where: { id: BigInt(id), ...owned(scope) },
      include: setInclude,
    });
    return row ? toSet(row) : null;
  }

  async listSets(scope: CatalogScope): Promise<DistributionSet[]> {
    const rows = await this.prisma.otaDistributionSet.findMany({
      where: owned(scope),
      include: setInclude,
      orderBy: { id: 'asc' },
      take: 500,
    });
    return rows.map(toSet);
  }
}
