import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { allInOneConfigSchema } from './config.js';
import { startEmbedded } from './embedded.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-permissions-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});
const config = allInOneConfigSchema.parse({ DATA_DIR: folder });
const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

/** Every folder and file under `root` (the root too), with its permission bits. */
function modes(root: string): Map<string, number> {
  const found = new Map<string, number>([[root, statSync(root).mode & 0o777]]);
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory() || entry.isFile()) found.set(path, statSync(path).mode & 0o777);
  }
  return found;
}

describe('the data folder', () => {
  it('is tightened on every start: folders 0700, files 0600, the read models and SQLite files too', async () => {
    await (await startEmbedded(config, quiet)).close();
    // Loosened while the process was down (copied in, restored from a backup, an older version).
    const loose = modes(folder);
    expect([...loose.keys()].some((path) => path.includes('readmodels'))).toBe(true);
    for (const path of loose.keys()) chmodSync(path, statSync(path).isDirectory() ? 0o777 : 0o666);
    writeFileSync(join(folder, 'readmodels', 'stray-note.txt'), 'left by a backup tool', {
      mode: 0o666,
    });
    chmodSync(join(folder, 'readmodels', 'stray-note.txt'), 0o666);
    const before = modes(folder);
    expect([...before.values()].every((mode) => (mode & 0o066) !== 0)).toBe(true);

    const restarted = await startEmbedded(config, quiet);
    try {
      const after = modes(folder);
      for (const path of before.keys())
        expect([path, after.get(path)]).toEqual([
          path,
          statSync(path).isDirectory() ? 0o700 : 0o600,
        ]);
      expect(after.get(join(folder, 'events.sqlite'))).toBe(0o600);
    } finally {
      await restarted.close();
    }
  });
});
