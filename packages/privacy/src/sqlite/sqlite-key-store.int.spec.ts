import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Category } from '@waypoint/contracts';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  keyStoreContract,
  newMasterKey,
  uniqueSubject,
  type KeyStoreStorage,
  type OpenOptions,
} from '../contract/index.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-keys-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});
let files = 0;
const freshFile = (): string => {
  files += 1;
  return join(folder, `keys-${String(files)}.sqlite`);
};

function raw<T>(file: string, work: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

const wrappedOf = (file: string, subject: string, category: Category): Buffer | null =>
  raw(
    file,
    (db) =>
      db
        .prepare<[string, string], { wrapped: Buffer | null }>(
          'SELECT wrapped FROM wp_person_keys WHERE subject = ? AND category = ?',
        )
        .get(subject, category)?.wrapped ?? null,
  );

function fileStorage(): Promise<KeyStoreStorage> {
  const file = freshFile();
  const sidecars = ['-wal', '-shm'];
  return Promise.resolve({
    open: async (options: OpenOptions) => {
      await Promise.resolve();
      return new SqliteKeyStore({ file, ...options });
    },
    // A backup is a copy of the file, taken while no store has it open.
    backup: () => {
      const copy = `${file}.backup`;
      copyFileSync(file, copy);
      return Promise.resolve(() => {
        copyFileSync(copy, file);
        for (const sidecar of sidecars) rmSync(`${file}${sidecar}`, { force: true });
        return Promise.resolve();
      });
    },
    copyWrappedKey: (from, to, category) => {
      raw(file, (db) =>
        db
          .prepare(
            `INSERT INTO wp_person_keys (subject, category, kid, wrapped, created_at)
             SELECT ?, category, kid, wrapped, created_at FROM wp_person_keys WHERE subject = ? AND category = ?`,
          )
          .run(to, from, category),
      );
      return Promise.resolve();
    },
    holdsWrappedKey: (subject, category) =>
      Promise.resolve(wrappedOf(file, subject, category) !== null),
    dispose: () => Promise.resolve(),
  });
}

keyStoreContract('SqliteKeyStore', { storage: fileStorage });

describe('SqliteKeyStore on disk', () => {
  it('runs in WAL mode with synchronous FULL and secure_delete', async () => {
    const store = new SqliteKeyStore({ file: freshFile(), masterKey: newMasterKey('k1') });
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    await store.close();
  });

  it('skips the fsync only inside withRelaxedDurability, and keeps what was made there', async () => {
    const file = freshFile();
    const store = new SqliteKeyStore({ file, masterKey: newMasterKey('k1') });
    const synchronous = (): unknown =>
      (store as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true });
    const subject = uniqueSubject();
    const during = await store.withRelaxedDurability(async () => {
      await store.keyFor(subject, 'identity');
      return synchronous();
    });
    expect(during).toBe(1);
    expect(synchronous()).toBe(2);
    await expect(
      store.withRelaxedDurability(() => Promise.reject(new Error('seed failed'))),
    ).rejects.toThrow('seed failed');
    expect(synchronous()).toBe(2);
    await store.close();
    expect(wrappedOf(file, subject, 'identity')).toHaveLength(60);
  });

  it('leaves no copy of a destroyed wrapped key in the file or its WAL', async () => {
    const file = freshFile();
    const store = new SqliteKeyStore({ file, masterKey: newMasterKey('k1') });
    const subject = uniqueSubject();
    await store.keyFor(subject, 'identity');
    await store.keyFor(uniqueSubject(), 'identity');
    const wrapped = wrappedOf(file, subject, 'identity');
    expect(wrapped).toHaveLength(60);
    const onDisk = (): Buffer =>
      Buffer.concat(
        [file, `${file}-wal`].filter((path) => existsSync(path)).map((path) => readFileSync(path)),
      );
    expect(onDisk().includes(wrapped ?? Buffer.alloc(0))).toBe(true);

    await store.destroy(subject, ['identity'], 'erasure-request');
    expect(onDisk().includes(wrapped ?? Buffer.alloc(0))).toBe(false);
    await store.close();
    expect(onDisk().includes(wrapped ?? Buffer.alloc(0))).toBe(false);
  });

  it('refuses to bring back or delete keys, and to change the destruction log', async () => {
    const file = freshFile();
    const store = new SqliteKeyStore({ file, masterKey: newMasterKey('k1') });
    const subject = uniqueSubject();
    await store.keyFor(subject, 'identity');
    await store.destroy(subject, ['notes'], 'erasure-request');
    await store.close();
    raw(file, (db) => {
      expect(() =>
        db
          .prepare(
            `UPDATE wp_person_keys SET kid = 'k1', wrapped = x'00', destroyed_at = NULL WHERE category = 'notes'`,
          )
          .run(),
      ).toThrow(/never comes back/);
      expect(() => db.prepare('DELETE FROM wp_person_keys').run()).toThrow(/never deleted/);
      expect(() => db.prepare('DELETE FROM wp_key_destructions').run()).toThrow(/append-only/);
      expect(() => db.prepare(`UPDATE wp_key_destructions SET reason = 'x'`).run()).toThrow(
        /append-only/,
      );
    });
  });
});
