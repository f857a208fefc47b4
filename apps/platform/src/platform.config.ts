import { deviceRegistryConfigSchema, identityConfigSchema } from '@flexgalaxy/adapters';
import { DEFAULT_PORTS, serviceSections } from '@flexgalaxy/service-kit';
import type { z } from 'zod';

export const platformSections = {
  ...serviceSections(DEFAULT_PORTS.platform),
  identity: identityConfigSchema,
  registry: deviceRegistryConfigSchema,
};

export type PlatformConfig = {
  readonly [K in keyof typeof platformSections]: Readonly<z.output<(typeof platformSections)[K]>>;
};
