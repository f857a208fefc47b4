import { deviceRegistryConfigSchema, identityConfigSchema } from '@flexgalaxy/adapters';
import { marketplaceConfigSchema } from '@flexgalaxy/marketplace';
import { orgConfigSchema } from '@flexgalaxy/org';
import { otaForgeConfigSchema } from '@flexgalaxy/ota-forge';
import { provisioningConfigSchema } from '@flexgalaxy/provisioning';
import { DEFAULT_PORTS, serviceSections } from '@flexgalaxy/service-kit';
import { trustMintConfigSchema } from '@flexgalaxy/trust-mint';
import type { z } from 'zod';

export const platformSections = {
  ...serviceSections(DEFAULT_PORTS.platform),
  identity: identityConfigSchema,
  registry: deviceRegistryConfigSchema,
  otaForge: otaForgeConfigSchema,
  provisioning: provisioningConfigSchema({ defaultPort: DEFAULT_PORTS.platform }),
  org: orgConfigSchema({ defaultPort: DEFAULT_PORTS.platform }),
  trustMint: trustMintConfigSchema,
  marketplace: marketplaceConfigSchema,
};

export type PlatformConfig = {
  readonly [K in keyof typeof platformSections]: Readonly<z.output<(typeof platformSections)[K]>>;
};
