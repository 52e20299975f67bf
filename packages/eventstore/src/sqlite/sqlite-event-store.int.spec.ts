import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { eventStoreContract, testEvent, uniqueStream } from '../contract/index.js';
import { StoreLockedError } from '../errors.js';
import type { EventStore } from '../types.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-sqlite-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});
let files = 0;
const freshFile = (): string => {
  files += 1;
  return join(folder, `events-${String(files)}.sqlite`);
};

eventStoreContract('SqliteEventStore', {
  open: () => Promise.resolve(new SqliteEventStore({ file: freshFile() })),
  tamper: async (store: EventStore, stream: string, revision: number) => {
    const file = (store as unknown as { db: Database.Database }).db.name;
    await store.close();
    const raw = new Database(file);
    raw.exec('DROP TRIGGER events_no_update');
    raw
      .prepare(
        `UPDATE events SET data = json_set(data, '$.tampered', json('true')) WHERE stream = ? AND revision = ?`,
      )
      .run(stream, revision);
    raw.close();
    return new SqliteEventStore({ file });
  },
  propertyRuns: 30,
});

describe('SqliteEventStore on disk', () => {
  it('refuses UPDATE and DELETE of stored events', async () => {
    const file = freshFile();
    const store = new SqliteEventStore({ file });
    const stream = uniqueStream();
    await store.append(stream, [testEvent()]);
    await store.close();
    const raw = new Database(file);
    expect(() => raw.prepare("UPDATE events SET type = 'Other'").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    raw.close();
  });

  it('keeps its events across a reopen, with WAL and synchronous FULL', async () => {
    const file = freshFile();
    const stream = uniqueStream();
    const first = new SqliteEventStore({ file });
    await first.append(stream, [testEvent(), testEvent()]);
    await first.close();
    const second = new SqliteEventStore({ file });
    expect(await second.streamRevision(stream)).toBe(1);
    const pragmas = (second as unknown as { db: Database.Database }).db;
    expect(pragmas.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(pragmas.pragma('synchronous', { simple: true })).toBe(2);
    await second.close();
  });

  it('skips the fsync only while a bulk load runs, then is durable again (even if the load fails)', async () => {
    const store = new SqliteEventStore({ file: freshFile() });
    const synchronous = (): unknown =>
      (store as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true });
    const stream = uniqueStream();
    const during = await store.withRelaxedDurability(async () => {
      await store.append(stream, [testEvent()]);
      return synchronous();
    });
    expect(during).toBe(1);
    expect(synchronous()).toBe(2);
    await expect(
      store.withRelaxedDurability(() => Promise.reject(new Error('load failed'))),
    ).rejects.toThrow('load failed');
    expect(synchronous()).toBe(2);
    expect(await store.streamRevision(stream)).toBe(0);
    await store.close();
  });

  it('cannot be opened by a second writer while the first holds it', async () => {
    const file = freshFile();
    const holder = new SqliteEventStore({ file });
    expect(() => new SqliteEventStore({ file })).toThrow(StoreLockedError);
    await holder.close();
    const next = new SqliteEventStore({ file });
    await next.close();
  });
});
