import { defineConfig } from 'vitest/config';

const globalSetup = ['packages/testing/src/global-setup.ts'];
const exclude = ['**/node_modules/**', '**/dist/**'];

/**
 * Test tiers by file name. The chaos suite holds a PostgreSQL transaction open for seconds, and
 * PostgreSQL's snapshot xmin is cluster-wide, so it runs alone, after the other tiers.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['**/*.unit.spec.ts'], exclude } },
      {
        test: {
          name: 'int',
          include: ['**/*.int.spec.ts'],
          exclude: [...exclude, '**/*.chaos.int.spec.ts'],
          globalSetup,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['**/*.e2e.spec.ts'],
          exclude,
          globalSetup,
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'chaos',
          include: ['**/*.chaos.int.spec.ts'],
          exclude,
          globalSetup,
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
