import type { Readable } from 'node:stream';

/**
 * Injection token of the OTA backend port. OTA Forge is its own backend by default (native DDI),
 * so the token resolves to null then; with HAWKBIT_URL it is the hawkBit Management API.
 */
export const OTA_BACKEND = Symbol('OTA_BACKEND');

/** hawkBit's assignment types, as OTA Forge's policies name them. */
export type OtaBackendActionType = 'forced' | 'soft' | 'downloadonly';

export interface OtaBackendTargetInput {
  controllerId: string;
  name: string;
  /** The DDI TargetToken in clear: the backend authenticates the device with it. */
  securityToken: string;
}

export interface OtaBackendModuleInput {
  name: string;
  version: string;
  /** The chunk part the device sees (OTA Forge's module type): `os`, `application`, … */
  part: string;
  vendor: string | null;
  description: string | null;
}

export interface OtaBackendArtifact {
  id: number;
  size: number;
  sha1: string;
  md5: string;
  sha256: string;
}

export interface OtaBackendAction {
  id: number;
  active: boolean;
  /** The backend's own status word (hawkBit: running, finished, error, canceled …). */
  status: string;
}

/** A DDI request of a device, forwarded as it came (its Authorization header included). */
export interface DdiForwardRequest {
  method: 'GET' | 'POST' | 'PUT';
  controllerId: string;
  /** Below the controller's DDI root, with a leading slash or empty for the poll: `/deploymentBase/7`. */
  path: string;
  /** The query string without `?` (may be empty). */
  query: string;
  headers: Record<string, string>;
  body?: string;
}

export interface DdiForwardResponse {
  status: number;
  headers: Record<string, string>;
  /** The answer's bytes as they arrive (downloads are never buffered). */
  body: Readable;
}

/** An OTA backend that OTA Forge mirrors its targets, catalog and assignments to. */
export interface OtaBackend {
  /** What the backend's DDI links start with (`<url>/<tenant>/controller/v1/`), to rewrite them. */
  readonly ddiLinkPrefix: string;

  /**
   * Creates the target with its token; an existing one gets the name and token instead.
   * @returns whether the backend created it (only then may a compensation delete it).
   */
  upsertTarget(input: OtaBackendTargetInput): Promise<{ created: boolean }>;
  /** Changes a target's name and / or token. */
  updateTarget(controllerId: string, change: { name?: string; securityToken?: string }): Promise<void>;
  /** @returns false when the backend had no such target. */
  deleteTarget(controllerId: string): Promise<boolean>;
  /** Sets operator-owned metadata; a null value removes the key. */
  putTargetMetadata(controllerId: string, entries: Record<string, string | null>): Promise<void>;
  targetMetadata(controllerId: string): Promise<Record<string, string>>;

  createSoftwareModule(input: OtaBackendModuleInput): Promise<{ id: number }>;
  deleteSoftwareModule(id: number): Promise<void>;
  /** Streams the artifact to the backend; the backend verifies the hashes it is given. */
  uploadArtifact(
    moduleId: number,
    file: { filename: string; size: number; sha1: string; md5: string; sha256: string; content: Readable },
  ): Promise<OtaBackendArtifact>;
  createDistributionSet(input: {
    name: string;
    version: string;
    description: string | null;
    modules: { id: number; part: string }[];
  }): Promise<{ id: number }>;
  deleteDistributionSet(id: number): Promise<void>;

  /**
   * Assigns a distribution set to a target. If the backend already has an open action of that
   * set for the target (an assignment whose recording was lost), that action is returned.
   */
  assign(controllerId: string, distributionSetId: number, type: OtaBackendActionType): Promise<{ actionId: number }>;
  action(controllerId: string, actionId: number): Promise<OtaBackendAction>;
  /**
   * Asks the backend to cancel an open action (the device then gets a cancelAction link); an
   * action already canceling, canceled or gone counts as done.
   */
  cancelAction(controllerId: string, actionId: number): Promise<void>;

  /** Forwards a device's DDI request; the backend's answer (errors included) comes back as it is. */
  forwardDdi(request: DdiForwardRequest): Promise<DdiForwardResponse>;
}
