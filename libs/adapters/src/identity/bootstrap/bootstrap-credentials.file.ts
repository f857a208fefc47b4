import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface BootstrapCredentials {
  clientId: string;
  clientSecret: string;
  tokenEndpoint: string;
}

/** Writes the generated platform-admin credentials readable by the owner only (0600, folder 0700). */
export async function writeBootstrapCredentials(path: string, credentials: BootstrapCredentials): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an older file keeps its mode otherwise.
  await chmod(path, 0o600);
}
