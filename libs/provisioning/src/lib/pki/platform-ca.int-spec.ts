import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { provisioningConfigSchema, type ProvisioningConfig } from '../provisioning.config.js';
import { EncryptionKeySource } from '../shared/encryption-key.js';
import { PlatformCaService } from './platform-ca.service.js';
import { PlatformKeysRepository } from './platform-keys.repository.js';

describe.each(DRIVERS)('PlatformCaService on %s', (driver) => {
  let db: TestDatabase;
  let scratch: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    scratch = mkdtempSync(join(tmpdir(), 'fg-ca-'));
  });
  afterAll(async () => {
    await db.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const configWith = (env: Record<string, string>): ProvisioningConfig =>
    provisioningConfigSchema({ defaultPort: 0 }).parse({ PROVISIONING_KEY_FILE: join(scratch, 'key'), ...env });
  const serviceWith = (config: ProvisioningConfig) =>
    new PlatformCaService(config, new PlatformKeysRepository(db.prisma), new EncryptionKeySource(config));

  it('should generate the root CA at first start, store its key encrypted, and load the same root after a restart', async () => {
    const config = configWith({});
    const first = await serviceWith(config).rootCa();

    expect(first.certificate.ca).toBe(true);
    expect(first.certificate.subject).toBe('O=FlexGalaxy\nCN=FlexGalaxy Root CA');
    const stored = await db.prisma.platformKey.findUniqueOrThrow({ where: { name: 'root-ca' } });
    expect(stored.privateKeyPem).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    // The key that decrypts it lives in a 0600 file beside, not inside, the database.
    expect(readFileSync(join(scratch, 'key'), 'utf8').length).toBeGreaterThanOrEqual(32);

    const restarted = await serviceWith(config).rootCa();
    expect(restarted.certificate.fingerprint256).toBe(first.certificate.fingerprint256);
  });

  it('should not open the stored key with another encryption key', async () => {
    const other = configWith({ PROVISIONING_ENCRYPTION_KEY: 'a-completely-different-key-of-32-characters' });
    await expect(serviceWith(other).rootCa()).rejects.toThrow();
  });

  it('should issue the device TLS server certificate from the root once and keep it', async () => {
    const config = configWith({});
    const service = serviceWith(config);
    const server = await service.deviceTlsServer();
    const root = await service.rootCa();
    expect(server.certificate.checkIssued(root.certificate)).toBe(true);
    expect(server.certificate.checkHost('localhost')).toBe('localhost');
    expect((await serviceWith(config).deviceTlsServer()).certificate.fingerprint256).toBe(
      server.certificate.fingerprint256,
    );
  });
});
