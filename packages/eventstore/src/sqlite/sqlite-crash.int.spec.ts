import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, uniqueStream } from '../contract/index.js';
import { StoreLockedError } from '../errors.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'waypoint-crash-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

function startWriter(
  file: string,
  stream: string,
): { child: ChildProcessWithoutNullStreams; lines: AsyncIterator<string> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'fixtures', 'append-until-killed.ts'), file, stream],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return { child, lines };
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const line = await lines.next();
  if (line.done) throw new Error('the writer process ended early');
  return line.value;
}

describe('SqliteEventStore and a process that dies', () => {
  it('keeps every acknowledged append when the writer is killed with SIGKILL', async () => {
    const file = join(folder, 'crash.sqlite');
    const stream = uniqueStream();
    const { child, lines } = startWriter(file, stream);
    expect(await nextLine(lines)).toBe('ready');

    // While the writer lives, nobody else may open the file for writing.
    expect(() => new SqliteEventStore({ file })).toThrow(StoreLockedError);

    let acknowledged = -1;
    while (acknowledged < 150) acknowledged = Number(await nextLine(lines));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    // The OS released the lock with the process; the file reopens with every acknowledged event.
    const store = new SqliteEventStore({ file });
    try {
      const events = await collect(store.readStream(stream));
      expect(events.length).toBeGreaterThanOrEqual(acknowledged + 1);
      expect(await store.verifyStream(stream)).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  });
});
