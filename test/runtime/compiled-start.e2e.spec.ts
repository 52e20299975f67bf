import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_CONDITION } from './runtime-rules.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const allInOne = join(root, 'services/all-in-one');
const folder = mkdtempSync(join(tmpdir(), 'waypoint-compiled-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/**
 * The environment of a production start: this worker's NODE_OPTIONS carry the source condition
 * (vitest.config.ts), which a compiled process must not see.
 */
function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const nodeOptions = (process.env.NODE_OPTIONS ?? '')
    .split(/\s+/)
    .filter((option) => option !== '' && !option.includes(SOURCE_CONDITION))
    .join(' ');
  return { ...process.env, NODE_OPTIONS: nodeOptions, ...extra };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Node.js 22.6+ can strip types: turn it off, so that a .ts file anywhere fails the start. */
const major = Number(process.versions.node.split('.')[0]);
const minor = Number(process.versions.node.split('.')[1]);
const noTypeScript =
  major > 22 || (major === 22 && minor >= 6) ? ['--no-experimental-strip-types'] : [];

describe('the compiled all-in-one (what `pnpm start` runs)', () => {
  beforeAll(async () => {
    // `pnpm test` built everything already (typecheck is tsc -b): then this only checks it is current.
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', allInOne], {
      cwd: root,
    });
  }, 600_000);

  it('resolves every workspace dependency to its compiled dist/ file', async () => {
    const manifest = JSON.parse(readFileSync(join(allInOne, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const workspace = Object.keys(manifest.dependencies).filter((name) =>
      name.startsWith('@waypoint/'),
    );
    expect(workspace.length).toBeGreaterThan(5);
    const script = `for (const name of ${JSON.stringify(workspace)}) console.log(import.meta.resolve(name));`;
    const { stdout } = await run(
      process.execPath,
      [...noTypeScript, '--input-type=module', '-e', script],
      { cwd: allInOne, env: productionEnv({}) },
    );
    const files = stdout
      .trim()
      .split('\n')
      .map((url) => fileURLToPath(url));
    expect(files).toHaveLength(workspace.length);
    for (const file of files) {
      expect(file).toMatch(/\/dist\/[^/]+\.js$/);
      expect(existsSync(file), file).toBe(true);
    }
  });

  it('starts with plain node, no TypeScript loader, and answers /health', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [...noTypeScript, '--enable-source-maps', join(allInOne, 'dist/main.js')],
      {
        cwd: allInOne,
        env: productionEnv({ DATA_DIR: folder, HOST: '127.0.0.1', PORT: String(port) }),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    try {
      let status: number | undefined;
      while (status === undefined && exitCode === undefined) {
        status = await fetch(`http://127.0.0.1:${String(port)}/health`).then(
          (response) => response.status,
          () => undefined,
        );
        if (status === undefined) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status, `exited with ${String(exitCode)}: ${stderr}`).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 180_000);
});
