import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openReadModels } from './read-models.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-readmodels-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('a new read-model folder', () => {
  it('is made by the short-lived initdb process also when the data folder is a relative path (the default .data)', async () => {
    mkdirSync(join(folder, 'data'));
    const dataDir = relative(process.cwd(), join(folder, 'data'));
    expect(dataDir.startsWith('/')).toBe(false);

    const opened = await openReadModels(dataDir);
    try {
      // Made in this process instead, the start peaks several hundred MB higher (issue 15).
      expect(opened.initialisedHere).toBeUndefined();
      expect(opened.rebuilt).toBe('missing');
      expect(existsSync(join(folder, 'data', 'readmodels', 'PG_VERSION'))).toBe(true);
      const settings = readFileSync(
        join(folder, 'data', 'readmodels', 'postgresql.auto.conf'),
        'utf8',
      );
      expect(settings).toContain("shared_buffers = '8MB'");
      expect(settings).toContain("max_connections = '8'");
      expect((await opened.db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([
        { one: 1 },
      ]);
    } finally {
      await opened.db.close();
    }
  }, 120_000);
});
