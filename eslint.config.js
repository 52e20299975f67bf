// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Modules that do I/O, read the clock or draw randomness: a domain/ folder imports none of them. */
const IO_MODULES = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'fastify',
  'fastify/*',
  '@fastify/*',
  'pg',
  'pg/*',
  'better-sqlite3',
  'kafkajs',
  'pino',
  'pino/*',
  '@eventstore/*',
  '@electric-sql/*',
  'uuid',
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.tsbuildinfo', 'test/bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: false }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // No import cycles, within a package or across packages: a cycle makes load order decide what
    // is initialised, and a package that imports its own barrel is one. Type-only imports are
    // erased at compile time and are not followed.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Which files the rule reads to follow their imports: our TypeScript sources.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          // Workspace packages resolve to their sources, as TypeScript and the tests see them.
          conditionNames: ['@waypoint/source', 'types', 'import', 'node', 'default'],
          // The root tsconfig references every package's.
          project: 'tsconfig.json',
        }),
      ],
    },
    rules: {
      // Third-party modules never import ours, so no cycle runs through them: not parsing them
      // keeps the rule's cost to our own sources.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['**/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: IO_MODULES,
              message: 'domain/ is pure: no I/O, clock or randomness. Pass what it needs in.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'domain/ takes the time as input.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'domain/ takes the time as input.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'domain/ takes randomness as input.',
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts', '**/contract/**/*.ts'],
    rules: {
      // Specs reach into adapters on purpose (tamper tests) and build deliberately bad input.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
