import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../provisioning.config.js';
import { deriveKey } from './secrets.js';

/**
 * The secret provisioning encrypts with: PROVISIONING_ENCRYPTION_KEY, or a random one generated
 * once into PROVISIONING_KEY_FILE (0600) beside, not inside, the database, so a database dump
 * alone does not reveal the root CA's private key. Read lazily, once.
 */
@Injectable()
export class EncryptionKeySource {
  private readonly logger = new Logger(EncryptionKeySource.name);
  private secret: string | undefined;

  constructor(@Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig) {}

  /** The passphrase that encrypts PEM private keys (PKCS#8). */
  passphrase(): string {
    return this.load();
  }

  /** A 32-byte key for one purpose (derived, so two purposes never share a key). */
  keyFor(purpose: string): Buffer {
    return deriveKey(this.load(), purpose);
  }

  private load(): string {
    if (this.secret) return this.secret;
    if (this.config.PROVISIONING_ENCRYPTION_KEY) return (this.secret = this.config.PROVISIONING_ENCRYPTION_KEY);
    const path = resolve(this.config.PROVISIONING_KEY_FILE);
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      try {
        writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
        this.logger.warn({ path }, 'generated the provisioning encryption key; back it up with the database');
      } catch (error) {
        // Another process created it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return (this.secret = readFileSync(path, 'utf8').trim());
  }
}
