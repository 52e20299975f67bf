import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dependenciesCoverImports,
  importedWorkspacePackages,
  isSpecFile,
  OWNERSHIP_HEADING,
  ownershipSection,
  packagesDependOnNoService,
  readmeNamesDependencies,
  workspaceNames,
  type SourceImport,
  type WorkspacePackage,
} from './package-readme-rules.js';

const root = join(import.meta.dirname, '../..');

interface Manifest {
  readonly name: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/** Every TypeScript file under a folder, relative to it with `/` separators. */
function typeScriptFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => !file.split('/').includes('node_modules'));
}

function sourceImports(src: string): SourceImport[] {
  return typeScriptFiles(src)
    .filter((file) => !isSpecFile(file))
    .flatMap((file) =>
      importedWorkspacePackages(readFileSync(join(src, file), 'utf8')).map((name) => ({
        file,
        name,
      })),
    );
}

const workspace: WorkspacePackage[] = ['packages', 'services'].flatMap((group) =>
  readdirSync(join(root, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${group}/${entry.name}`)
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(
        readFileSync(join(root, dir, 'package.json'), 'utf8'),
      ) as Manifest;
      const readme = join(root, dir, 'README.md');
      return {
        dir,
        name: manifest.name,
        dependencies: workspaceNames(manifest.dependencies),
        devDependencies: workspaceNames(manifest.devDependencies),
        readme: existsSync(readme) ? readFileSync(readme, 'utf8') : undefined,
        imports: sourceImports(join(root, dir, 'src')),
      };
    }),
);

describe('package READMEs, dependencies and imports agree', () => {
  it('finds the workspace', () => {
    expect(workspace.map(({ dir }) => dir)).toEqual(
      expect.arrayContaining(['packages/contracts', 'packages/runtime', 'services/all-in-one']),
    );
  });

  it.each(workspace.map((pkg) => [pkg.dir, pkg] as const))(
    '%s: its README says what it may import, naming every dependency',
    (_dir, pkg) => {
      expect(readmeNamesDependencies(pkg)).toEqual([]);
    },
  );

  it.each(workspace.map((pkg) => [pkg.dir, pkg] as const))(
    '%s: every workspace package its code imports is declared',
    (_dir, pkg) => {
      expect(dependenciesCoverImports(pkg)).toEqual([]);
    },
  );

  it('no shared package depends on a service', () => {
    expect(packagesDependOnNoService(workspace)).toEqual([]);
  });
});

describe('the rules catch what they are for', () => {
  const readme = `# @waypoint/x\n\n${OWNERSHIP_HEADING}\n\nMay import \`@waypoint/contracts\`.\n\n## Other\n\n\`@waypoint/eventstore\`\n`;
  const pkg: WorkspacePackage = {
    dir: 'packages/x',
    name: '@waypoint/x',
    dependencies: ['@waypoint/contracts'],
    devDependencies: ['@waypoint/testing'],
    readme,
    imports: [{ file: 'index.ts', name: '@waypoint/contracts' }],
  };

  it('reads imports, re-exports, subpaths and dynamic imports, not other scopes', () => {
    const source = [
      "import { a } from '@waypoint/contracts';",
      "import type { B } from '@waypoint/eventstore/memory';",
      "export { c } from '@waypoint/decider';",
      "const d = await import('@waypoint/bus');",
      "import '@waypoint/privacy';",
      "import { e } from '@other/contracts';",
    ].join('\n');
    expect(importedWorkspacePackages(source)).toEqual([
      '@waypoint/contracts',
      '@waypoint/eventstore',
      '@waypoint/decider',
      '@waypoint/bus',
      '@waypoint/privacy',
    ]);
  });

  it('takes the section up to the next heading', () => {
    expect(ownershipSection(readme)).not.toContain('eventstore');
  });

  it('names the package and what is missing', () => {
    expect(readmeNamesDependencies({ ...pkg, readme: undefined })).toEqual([
      '@waypoint/x (packages/x): no README.md',
    ]);
    expect(readmeNamesDependencies({ ...pkg, readme: '# @waypoint/x\n' })).toEqual([
      `@waypoint/x (packages/x/README.md): no "${OWNERSHIP_HEADING}" section`,
    ]);
    expect(
      readmeNamesDependencies({
        ...pkg,
        dependencies: ['@waypoint/contracts', '@waypoint/eventstore'],
      }),
    ).toEqual([
      '@waypoint/x (packages/x/README.md): its ownership section does not name @waypoint/eventstore, a dependency',
    ]);
    expect(
      readmeNamesDependencies({
        ...pkg,
        readme: readme.replace('`@waypoint/contracts`', '`@waypoint/contracts-extra`'),
      }),
    ).toHaveLength(1);
  });

  it('wants every import declared, devDependencies only under testing/ and bench/', () => {
    expect(
      dependenciesCoverImports({
        ...pkg,
        imports: [
          { file: 'a.ts', name: '@waypoint/decider' },
          { file: 'testing/world.ts', name: '@waypoint/testing' },
          { file: 'bench/run.ts', name: '@waypoint/testing' },
          { file: 'support.ts', name: '@waypoint/testing' },
        ],
      }),
    ).toEqual([
      '@waypoint/x: src/a.ts imports @waypoint/decider, which package.json does not declare',
      '@waypoint/x: src/support.ts imports @waypoint/testing, only a devDependency (outside testing/ and bench/)',
    ]);
  });

  it('refuses a shared package that depends on a service', () => {
    const service: WorkspacePackage = { ...pkg, dir: 'services/s', name: '@waypoint/s-service' };
    expect(
      packagesDependOnNoService([{ ...pkg, devDependencies: ['@waypoint/s-service'] }, service]),
    ).toEqual(['@waypoint/x (packages/x) depends on the service @waypoint/s-service']);
  });
});
