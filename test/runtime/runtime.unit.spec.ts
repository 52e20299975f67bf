import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exportsResolveToCompiledCode,
  imageRunsCompiledCode,
  scriptsRunCompiledCode,
  SOURCE_CONDITION,
  type Layout,
  type Manifest,
} from './runtime-rules.js';

const root = join(import.meta.dirname, '../..');
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

interface Workspace {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly layout: Layout;
}

const workspaces: Workspace[] = ['packages', 'services'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, group, entry.name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => {
      const { compilerOptions } = readJson(join(dir, 'tsconfig.json')) as {
        compilerOptions: Layout;
      };
      return {
        dir,
        manifest: readJson(join(dir, 'package.json')) as Manifest,
        layout: compilerOptions,
      };
    }),
);
const rootManifest = readJson(join(root, 'package.json')) as Manifest & {
  engines: { node: string };
};
const dockerfile = readFileSync(join(root, 'infra/Dockerfile'), 'utf8');
const ciRun = readFileSync(join(root, '.ci/run'), 'utf8');

const contracts: Manifest = {
  name: '@waypoint/contracts',
  exports: {
    '.': {
      [SOURCE_CONDITION]: './src/index.ts',
      types: './src/index.ts',
      default: './dist/index.js',
    },
  },
  scripts: { start: 'tsc -b && node --enable-source-maps dist/main.js' },
};
const layout: Layout = { rootDir: 'src', outDir: 'dist' };

describe('the workspace runs compiled JavaScript, and its tests the sources', () => {
  it('finds the packages and services', () => {
    expect(workspaces.length).toBeGreaterThanOrEqual(18);
  });

  it.each(workspaces.map((w) => [w.manifest.name, w] as const))(
    '%s exports its sources under the source condition and dist/ by default',
    (_name, { dir, manifest, layout: own }) => {
      expect(exportsResolveToCompiledCode(manifest, own)).toEqual([]);
      for (const target of Object.values(manifest.exports ?? {})) {
        const source = (target as Record<string, string>)[SOURCE_CONDITION] ?? '';
        expect(existsSync(join(dir, source)), `${manifest.name}: ${source}`).toBe(true);
      }
    },
  );

  it.each([rootManifest, ...workspaces.map((w) => w.manifest)].map((m) => [m.name, m] as const))(
    '%s scripts run no TypeScript outside the source condition',
    (_name, manifest) => {
      expect(scriptsRunCompiledCode(manifest)).toEqual([]);
    },
  );

  it('TypeScript resolves the sources too (customConditions)', () => {
    const base = readJson(join(root, 'tsconfig.base.json')) as {
      compilerOptions: { customConditions?: string[] };
    };
    expect(base.compilerOptions.customConditions).toContain(SOURCE_CONDITION);
  });

  it('the image runs node on dist/main.js, on the LTS line .ci/run tests', () => {
    const lts = Number(/^NODE_LTS=(\d+)$/m.exec(ciRun)?.[1]);
    expect(lts).toBeGreaterThanOrEqual(22);
    expect(imageRunsCompiledCode(dockerfile, lts)).toEqual([]);
  });

  it('engines admit both LTS lines, 22 and 24', () => {
    expect(rootManifest.engines.node).toMatch(/(\^|>=)22\.\d+/);
    expect(rootManifest.engines.node).toMatch(/>=\s*2[24]/);
  });

  describe('a broken copy is refused', () => {
    it('an export that is one path to the sources', () => {
      expect(
        exportsResolveToCompiledCode({ ...contracts, exports: { '.': './src/index.ts' } }, layout),
      ).toEqual([
        '@waypoint/contracts exports["."] is one path for every runtime: give it conditions',
      ]);
    });

    it('a default that is not what tsc emits, or a source condition after it', () => {
      const wrongFile = {
        '.': {
          [SOURCE_CONDITION]: './src/index.ts',
          types: './src/index.ts',
          default: './dist/main.js',
        },
      };
      const wrongOrder = {
        '.': {
          default: './dist/index.js',
          [SOURCE_CONDITION]: './src/index.ts',
          types: './src/index.ts',
        },
      };
      expect(exportsResolveToCompiledCode({ ...contracts, exports: wrongFile }, layout)).toEqual([
        '@waypoint/contracts exports["."]: "default" is ./dist/main.js, tsc emits ./dist/index.js',
      ]);
      expect(exportsResolveToCompiledCode({ ...contracts, exports: wrongOrder }, layout)).toEqual([
        `@waypoint/contracts exports["."]: "${SOURCE_CONDITION}" must come first`,
      ]);
    });

    it('a start script through tsx', () => {
      expect(
        scriptsRunCompiledCode({ ...contracts, scripts: { start: 'tsx src/main.ts' } }),
      ).toEqual([
        '@waypoint/contracts script "start" runs tsx without --conditions=@waypoint/source',
        '@waypoint/contracts script "start" does not run compiled JavaScript (node … dist/….js)',
      ]);
    });

    it('an image that runs tsx, or an end-of-life Node.js', () => {
      const old = dockerfile
        .replace(/^ARG NODE_IMAGE=node:\d+/m, 'ARG NODE_IMAGE=node:20')
        .replace(/^CMD .*$/m, 'CMD ["sh", "-c", "exec tsx \\"services/${SERVICE}/src/main.ts\\""]');
      expect(imageRunsCompiledCode(old, 24)).toEqual([
        'the runtime stage installs or runs tsx',
        'CMD does not run node on services/${SERVICE}/dist/main.js: ["sh", "-c", "exec tsx \\"services/${SERVICE}/src/main.ts\\""]',
        'the default image is Node.js 20, older than 24',
      ]);
    });
  });
});
