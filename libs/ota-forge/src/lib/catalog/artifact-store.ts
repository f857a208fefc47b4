import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '@flexgalaxy/contracts';

export class ArtifactTooLargeError extends DomainError {
  readonly code = 'ARTIFACT.TOO_LARGE';
  readonly kind = 'invalid_input' as const;

  constructor(maxBytes: number) {
    super(`artifact exceeds ${maxBytes} bytes`, { maxBytes });
  }
}

export class EmptyArtifactError extends DomainError {
  readonly code = 'ARTIFACT.EMPTY';
  readonly kind = 'invalid_input' as const;

  constructor() {
    super('artifact body is empty', { field: 'body' });
  }
}

export interface StoredArtifact {
  sha1: string;
  md5: string;
  sha256: string;
  size: number;
  /** False when identical bytes were already stored (content-addressed: kept once). */
  created: boolean;
}

/**
 * Artifact bytes on disk, named by their sha256 under ARTIFACTS_DIR. An upload streams through
 * the three hashes into a temporary file (never whole in memory) and is renamed into place, so a
 * reader never sees a partial file.
 */
export class ArtifactStore {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(body: Readable, maxBytes: number): Promise<StoredArtifact> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    const sha1 = createHash('sha1');
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    let size = 0;
    const hasher = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new ArtifactTooLargeError(maxBytes));
        sha1.update(chunk);
        md5.update(chunk);
        sha256.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, hasher, createWriteStream(tmp, { flags: 'wx' }));
      if (size === 0) throw new EmptyArtifactError();
      const digest = sha256.digest('hex');
      const target = this.pathOf(digest);
      await mkdir(join(this.root, digest.slice(0, 2)), { recursive: true });
      const existed = await stat(target).then(
        () => true,
        () => false,
      );
      if (existed) await rm(tmp, { force: true });
      else await rename(tmp, target);
      return { sha1: sha1.digest('hex'), md5: md5.digest('hex'), sha256: digest, size, created: !existed };
    } catch (error) {
      await rm(tmp, { force: true });
      // The client may still be sending: drain it so the 4xx answer reaches it.
      body.resume();
      throw error;
    }
  }

  /** Bytes [start, end] (inclusive) of an artifact. */
  read(sha256: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.pathOf(sha256), range);
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}
