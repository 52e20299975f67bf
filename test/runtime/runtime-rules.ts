/**
 * How the workspace runs: node runs compiled JavaScript (each package's dist/), while TypeScript,
 * vitest and the dev tools read the sources under the `@waypoint/source` export condition. Each rule
 * takes what it checks as plain values and returns what is wrong, one message a finding, so that the
 * specs can feed it the real files and broken copies alike. See docs/runtime.md.
 */

/** The export condition under which workspace packages expose their TypeScript sources. */
export const SOURCE_CONDITION = '@waypoint/source';

export interface Manifest {
  readonly name: string;
  readonly exports?: Readonly<Record<string, unknown>>;
  readonly scripts?: Readonly<Record<string, string>>;
}

export interface Layout {
  /** The package's tsconfig rootDir and outDir, relative to the package. */
  readonly rootDir: string;
  readonly outDir: string;
}

const relative = (dir: string): string => `./${dir.replace(/^\.\//, '').replace(/\/$/, '')}/`;

/**
 * Every export names its source under the source condition first (Node.js takes the first key that
 * matches, in order), the same file as `types`, and by default the file tsc emits for it.
 */
export function exportsResolveToCompiledCode(manifest: Manifest, layout: Layout): string[] {
  const src = relative(layout.rootDir);
  const out = relative(layout.outDir);
  return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
    const at = `${manifest.name} exports["${subpath}"]`;
    if (typeof target !== 'object' || target === null)
      return [`${at} is one path for every runtime: give it conditions`];
    const conditions = target as Record<string, unknown>;
    const source = conditions[SOURCE_CONDITION];
    if (typeof source !== 'string' || !source.startsWith(src) || !source.endsWith('.ts'))
      return [`${at} has no "${SOURCE_CONDITION}" condition naming a .ts file under ${src}`];
    const findings: string[] = [];
    if (Object.keys(conditions)[0] !== SOURCE_CONDITION)
      findings.push(`${at}: "${SOURCE_CONDITION}" must come first`);
    if (conditions.types !== source) findings.push(`${at}: "types" is not ${source}`);
    const compiled = `${out}${source.slice(src.length, -'.ts'.length)}.js`;
    if (conditions.default !== compiled)
      findings.push(`${at}: "default" is ${String(conditions.default)}, tsc emits ${compiled}`);
    return findings;
  });
}

/** Scripts that run a program of the package: these run compiled JavaScript with node. */
const RUNNING_SCRIPTS = new Set(['start', 'demo-token', 'projections']);

/**
 * No script runs TypeScript through tsx without the source condition (it would load the other
 * packages' dist/, stale or missing), and the scripts that run a program run `node dist/…`.
 */
export function scriptsRunCompiledCode(manifest: Manifest): string[] {
  return Object.entries(manifest.scripts ?? {}).flatMap(([name, script]) => {
    const at = `${manifest.name} script "${name}"`;
    const findings: string[] = [];
    const tsxRuns = script.split('&&').filter((command) => /(^|\s)tsx\s/.test(command.trim()));
    if (tsxRuns.some((command) => !command.includes(`--conditions=${SOURCE_CONDITION}`)))
      findings.push(`${at} runs tsx without --conditions=${SOURCE_CONDITION}`);
    if (RUNNING_SCRIPTS.has(name) && !/\bnode\b.*\sdist\/\S+\.js/.test(script)) {
      // The root's start delegates to a package's own script (`exec`: see docs/runtime.md).
      if (!/^(exec )?pnpm (--silent )?--filter \S+ \S+$/.test(script))
        findings.push(`${at} does not run compiled JavaScript (node … dist/….js)`);
    }
    return findings;
  });
}

/** The Dockerfile's runtime image runs the compiled entry point with node, on a current LTS. */
export function imageRunsCompiledCode(dockerfile: string, minimumNodeMajor: number): string[] {
  const findings: string[] = [];
  const stages = dockerfile.split(/^FROM\s/m);
  const runtime = stages.at(-1) ?? '';
  if (/\btsx\b/.test(runtime.replace(/^#.*$/gm, '')))
    findings.push('the runtime stage installs or runs tsx');
  const cmd = /^CMD\s+(.+)$/m.exec(runtime)?.[1] ?? '';
  if (!/\bnode\b[^"]*\\?"?services\/\$\{SERVICE\}\/dist\/main\.js/.test(cmd))
    findings.push(`CMD does not run node on services/\${SERVICE}/dist/main.js: ${cmd}`);
  const image = /^ARG NODE_IMAGE=node:(\d+)/m.exec(dockerfile)?.[1];
  if (image === undefined) findings.push('no ARG NODE_IMAGE=node:<major>… default');
  else if (Number(image) < minimumNodeMajor)
    findings.push(`the default image is Node.js ${image}, older than ${String(minimumNodeMajor)}`);
  return findings;
}
