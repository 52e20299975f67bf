import { defineConfig } from 'vitest/config';

const globalSetup = ['packages/testing/src/global-setup.ts'];
const exclude = ['**/node_modules/**', '**/dist/**'];

/**
 * Workspace packages export their TypeScript sources under this condition and their compiled
 * JavaScript (`dist/`) by default: tests always run from the sources, never from a stale build.
 * See docs/runtime.md.
 */
const SOURCE_CONDITION = '@waypoint/source';

/**
 * Vitest passes these to its workers as `--conditions` too, so the list holds no `module`: with it,
 * Node.js loads some dependencies' unbundled ESM builds (\@opentelemetry/api) and fails.
 */
const conditions = [SOURCE_CONDITION, 'node'];

/**
 * Test tiers by file name. The chaos suite holds a PostgreSQL transaction open for seconds, and
 * PostgreSQL's snapshot xmin is cluster-wide, so it runs alone, after the other tiers.
 */
export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    // Processes a test spawns (`node --import tsx fixture.ts`) resolve the sources too.
    env: {
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--conditions=${SOURCE_CONDITION}`]
        .filter(Boolean)
        .join(' '),
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['**/*.unit.spec.ts'], exclude } },
      {
        extends: true,
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
        extends: true,
        test: {
          name: 'e2e',
          include: ['**/*.e2e.spec.ts'],
          exclude,
          globalSetup,
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
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
