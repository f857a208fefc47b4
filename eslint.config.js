import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'libs/db/src/generated/**',
      '.infra/**',
      '.data/**',
      'tools/infra/**',
      'coverage/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration once through loadConfig() in an app; services receive it by DI (STYLE.md §8).',
        },
      ],
      // An app never imports another app; a lib never imports an app; a service lib never
      // imports another service lib; contracts import nothing (STYLE.md §1).
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:service', 'type:infra', 'type:adapter', 'type:contracts'],
            },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:infra', 'type:adapter', 'type:contracts'] },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra', 'type:contracts'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:infra', 'type:adapter', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['*'] },
            { sourceTag: 'scope:provisioning', onlyDependOnLibsWithTags: ['scope:provisioning', 'scope:shared'] },
            { sourceTag: 'scope:ota-forge', onlyDependOnLibsWithTags: ['scope:ota-forge', 'scope:shared'] },
            { sourceTag: 'scope:trust-mint', onlyDependOnLibsWithTags: ['scope:trust-mint', 'scope:shared'] },
            { sourceTag: 'scope:marketplace', onlyDependOnLibsWithTags: ['scope:marketplace', 'scope:shared'] },
            { sourceTag: 'scope:org', onlyDependOnLibsWithTags: ['scope:org', 'scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    // Tests may import the testing lib and read the environment (CI switches, real servers).
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', 'libs/testing/**/*.ts'],
    rules: {
      'no-restricted-syntax': 'off',
      '@nx/enforce-module-boundaries': 'off',
    },
  },
  {
    // Where configuration is read: app entry points, and the config loader's default argument.
    files: [
      'apps/*/src/main.ts',
      'libs/service-kit/src/lib/config/load-config.ts',
      'tools/**/*.ts',
      'prisma.config.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  prettier,
);
