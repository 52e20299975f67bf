/**
 * Child processes for `pnpm bench http`'s embedded rows: the embedded app started exactly as
 * `pnpm start` starts it (the start script of services/all-in-one, run by `sh -c exec` with the
 * package's bins on PATH, as pnpm runs it, without pnpm itself), and its baseline, a bare Fastify
 * process answering /health under the same launcher. Each is timed from spawn to its first
 * /health 200, and its peak memory is read from the kernel (VmHWM in /proc/<pid>/status), the
 * process's own high-water mark rather than one reading of its resident set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export interface Started {
  /** Spawn to the first /health 200. */
  readonly ms: number;
  /** The largest VmHWM in the process tree (the server; a launcher such as tsx is a parent). */
  peakMb(): number;
  /** Every process of the tree with its VmHWM, for the note. */
  tree(): { pid: number; name: string; hwmMb: number }[];
  stop(): Promise<void>;
}

const allInOne = (root: string): string => join(root, 'services', 'all-in-one');

/** The start script of the embedded app, as package.json has it now. */
export function startScript(root: string): string {
  const manifest = JSON.parse(readFileSync(join(allInOne(root), 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const script = manifest.scripts?.start;
  if (script === undefined) throw new Error('services/all-in-one has no start script');
  return script;
}

/**
 * The start script in two parts: the steps before the server (a build: `tsc -b && ...`), run
 * once and timed apart, and the command that becomes the server process.
 */
export function splitStartScript(script: string): { steps: string[]; server: string } {
  const parts = script.split('&&').map((part) => part.trim());
  // `launch` runs the server under `sh -c exec` itself.
  const server = (parts.pop() ?? '').replace(/^exec\s+/, '');
  return { steps: parts, server };
}

/** The server command without its entry file: what runs the baseline too (`tsx`, `node ...`). */
function launcherOf(server: string): string {
  const words = server.trim().split(/\s+/);
  return words.slice(0, -1).join(' ');
}

function pathFor(root: string): string {
  const cwd = allInOne(root);
  return [join(cwd, 'node_modules', '.bin'), join(root, 'node_modules', '.bin'), process.env.PATH]
    .filter(Boolean)
    .join(':');
}

/** Runs the steps before the server (the build), as `pnpm start` would; returns how long. */
export async function runStartSteps(root: string): Promise<{ ms: number; steps: string[] }> {
  const { steps } = splitStartScript(startScript(root));
  const started = performance.now();
  for (const step of steps) {
    const child = spawn('sh', ['-c', step], {
      cwd: allInOne(root),
      env: { ...process.env, PATH: pathFor(root) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`\`${step}\` failed (${String(code)})`);
  }
  return { ms: performance.now() - started, steps };
}

let bareFile: string | undefined;
/** Plain JavaScript, so that any launcher runs it; written at run time, outside the sources. */
function bareFastifyFile(): string {
  if (bareFile !== undefined && existsSync(bareFile)) return bareFile;
  const folder = mkdtempSync(join(tmpdir(), 'waypoint-bench-bare-'));
  bareFile = join(folder, 'bare-fastify.mjs');
  writeFileSync(
    bareFile,
    [
      "const { default: Fastify } = await import(process.env.FASTIFY_MODULE ?? 'fastify');",
      'const app = Fastify();',
      "app.get('/health', () => ({ status: 'ok' }));",
      "await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });",
      "process.on('SIGTERM', () => { void app.close().then(() => process.exit(0)); });",
      '',
    ].join('\n'),
  );
  return bareFile;
}

function kb(status: string, field: string): number {
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${String(pid)}/task/${String(pid)}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '')
      .map(Number);
  } catch {
    return [];
  }
}

function treeOf(pid: number): { pid: number; name: string; hwmMb: number }[] {
  const rows: { pid: number; name: string; hwmMb: number }[] = [];
  const visit = (current: number): void => {
    try {
      const status = readFileSync(`/proc/${String(current)}/status`, 'utf8');
      rows.push({
        pid: current,
        name: /Name:\s+(\S+)/.exec(status)?.[1] ?? '?',
        hwmMb: Math.round((kb(status, 'VmHWM') / 1024) * 10) / 10,
      });
    } catch {
      return;
    }
    for (const child of childrenOf(current)) visit(child);
  };
  visit(pid);
  return rows;
}

async function untilHealthy(child: ChildProcess, port: number, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the process exited (${String(child.exitCode)}) before it answered /health`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${String(port)}/health`);
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function launch(
  root: string,
  command: string,
  port: number,
  env: Readonly<Record<string, string>>,
): Promise<Started> {
  const cwd = allInOne(root);
  const started = performance.now();
  const child = spawn('sh', ['-c', `exec ${command}`], {
    cwd,
    env: {
      ...process.env,
      PATH: pathFor(root),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const pid = child.pid ?? 0;
  return untilHealthy(child, port, started).then(
    (ms) => ({
      ms,
      tree: () => treeOf(pid),
      peakMb: () => Math.max(0, ...treeOf(pid).map((row) => row.hwmMb)),
      stop: async () => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      },
    }),
    async (error: unknown) => {
      child.kill('SIGKILL');
      await exited;
      throw error;
    },
  );
}

/** The embedded app, as `pnpm start` runs it, on `dataDir`. */
export function startEmbeddedProcess(
  root: string,
  options: { dataDir: string; port: number; demoJourneys: number },
): Promise<Started> {
  return launch(root, splitStartScript(startScript(root)).server, options.port, {
    // Relative to where it runs, as the default `.data` is (a relative folder once sent initdb's
    // process elsewhere, and the start fell back to doing it in its own memory).
    DATA_DIR: relative(allInOne(root), options.dataDir),
    DEMO_JOURNEYS: String(options.demoJourneys),
  });
}

/** A bare Fastify process answering /health, under the launcher of the start script. */
export function startBareFastify(root: string, port: number): Promise<Started> {
  const fastify = createRequire(join(allInOne(root), 'package.json')).resolve('fastify');
  const { server } = splitStartScript(startScript(root));
  return launch(root, `${launcherOf(server)} ${bareFastifyFile()}`, port, {
    FASTIFY_MODULE: fastify,
  });
}
