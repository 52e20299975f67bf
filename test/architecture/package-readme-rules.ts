/**
 * What each workspace package says it may import, what it declares and what its code imports must
 * agree: README ⊇ dependencies ⊇ imports. Each rule takes plain values and returns what is wrong,
 * one message a finding naming the package, so that the spec can feed it the real files and broken
 * copies alike.
 */

/** The README section that says what a package owns and which workspace packages it may import. */
export const OWNERSHIP_HEADING = '## What it owns and what it may import';

/** A workspace import found in a source file (the package name, without a subpath). */
export interface SourceImport {
  /** The file, relative to the package's `src/`, with `/` separators. */
  readonly file: string;
  readonly name: string;
}

export interface WorkspacePackage {
  /** Where it lives, relative to the repository (`packages/bus`). */
  readonly dir: string;
  readonly name: string;
  /** Its `@waypoint/*` dependencies and devDependencies. */
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
  /** The README's text, or undefined when there is none. */
  readonly readme: string | undefined;
  /** The workspace imports of its non-spec source files. */
  readonly imports: readonly SourceImport[];
}

const WORKSPACE_SCOPE = '@waypoint/';

/** Only the workspace's own names from a manifest's dependency map. */
export function workspaceNames(deps: Readonly<Record<string, string>> | undefined): string[] {
  return Object.keys(deps ?? {}).filter((name) => name.startsWith(WORKSPACE_SCOPE));
}

/**
 * The workspace packages a source file imports: static imports and re-exports
 * (`from '@waypoint/x'`, `from '@waypoint/x/sub'`), bare imports and dynamic `import()`.
 */
export function importedWorkspacePackages(source: string): string[] {
  const specifier = /(?:\bfrom|\bimport)\s*\(?\s*['"](@waypoint\/[a-z0-9-]+)(?:\/[^'"]*)?['"]/g;
  return [...new Set([...source.matchAll(specifier)].map((match) => match[1] ?? ''))];
}

/** Spec files are not the package's code; their imports are the test runner's business. */
export const isSpecFile = (file: string): boolean => /\.spec\.ts$/.test(file);

/**
 * Test support and benchmarks (a `testing/` or `bench/` folder anywhere under src) may use the
 * package's devDependencies: they are loaded by specs and bench runs, never by the service.
 */
export const isTestSupport = (file: string): boolean =>
  file.split('/').some((segment) => segment === 'testing' || segment === 'bench');

/** The text of the ownership section, up to the next heading of the same level. */
export function ownershipSection(readme: string): string | undefined {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.trim() === OWNERSHIP_HEADING);
  if (start < 0) return undefined;
  const end = lines.findIndex((line, index) => index > start && /^#{1,2} /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

const names = (text: string, name: string): boolean =>
  new RegExp(`${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![a-z0-9-])`).test(text);

/** The README exists, has the ownership section, and that section names every dependency. */
export function readmeNamesDependencies(pkg: WorkspacePackage): string[] {
  if (pkg.readme === undefined) return [`${pkg.name} (${pkg.dir}): no README.md`];
  const section = ownershipSection(pkg.readme);
  if (section === undefined) {
    return [`${pkg.name} (${pkg.dir}/README.md): no "${OWNERSHIP_HEADING}" section`];
  }
  return pkg.dependencies
    .filter((dependency) => !names(section, dependency))
    .map(
      (dependency) =>
        `${pkg.name} (${pkg.dir}/README.md): its ownership section does not name ${dependency}, a dependency`,
    );
}

/** Every workspace package the code imports is declared (devDependencies: test support only). */
export function dependenciesCoverImports(pkg: WorkspacePackage): string[] {
  const problems = pkg.imports
    .filter(({ name }) => !pkg.dependencies.includes(name))
    .filter(({ file, name }) => !(isTestSupport(file) && pkg.devDependencies.includes(name)))
    .map(({ file, name }) =>
      pkg.devDependencies.includes(name)
        ? `${pkg.name}: src/${file} imports ${name}, only a devDependency (outside testing/ and bench/)`
        : `${pkg.name}: src/${file} imports ${name}, which package.json does not declare`,
    );
  return [...new Set(problems)];
}

/** Shared packages are built on by services, never the reverse. */
export function packagesDependOnNoService(packages: readonly WorkspacePackage[]): string[] {
  const services = new Set(
    packages.filter(({ dir }) => dir.startsWith('services/')).map(({ name }) => name),
  );
  return packages
    .filter(({ dir }) => dir.startsWith('packages/'))
    .flatMap((pkg) =>
      [...pkg.dependencies, ...pkg.devDependencies]
        .filter((dependency) => services.has(dependency))
        .map((service) => `${pkg.name} (${pkg.dir}) depends on the service ${service}`),
    );
}
