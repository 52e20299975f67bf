import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { FieldCipher, SqliteKeyStore } from '@waypoint/privacy';
import { v7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { erasureLedger } from './erasure-ledger.js';
import { reapplyErasures } from './reapply-erasures.js';
import { ErasureWorkflow, systemContext } from './workflow.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-reapply-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('a key store restored from a backup taken before an erasure', () => {
  it('gets the destroyed keys destroyed again from the erasure events, before anything reads', async () => {
    const file = join(folder, 'keys.sqlite');
    const masterKey = { id: 'k1', key: randomBytes(32) };
    const store = new MemoryEventStore();
    const personId = v7();
    const eventId = v7();

    const original = new SqliteKeyStore({ file, masterKey });
    const sealed = await new FieldCipher(original).encrypt(personId, 'identity', 'Canary Person', {
      eventId,
      path: 'data.identity',
    });
    await original.close();
    copyFileSync(file, join(folder, 'backup.sqlite'));

    const live = new SqliteKeyStore({ file, masterKey });
    const ledger = erasureLedger(store);
    const workflow = new ErasureWorkflow({
      store,
      keys: live,
      ledger,
      services: ['identification'],
      newId: v7,
    });
    const now = new Date();
    const { requestId } = await workflow.request(
      { personId, reasonCode: 'data_subject_request', categories: undefined, origin: 'dpo' },
      systemContext('dpo-1', now, v7()),
    );
    const done = await workflow.confirm(
      requestId,
      'identification',
      { outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 0 },
      systemContext('system:identification', now, v7()),
    );
    expect(done.status).toBe('completed');
    await ledger.stop();
    await live.close();

    // The restore: the old file back, and no WAL of the newer one.
    copyFileSync(join(folder, 'backup.sqlite'), file);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(`${file}${suffix}`)) rmSync(`${file}${suffix}`);
    }
    const restored = new SqliteKeyStore({ file, masterKey });
    try {
      // As restored, the backup brings the person's name back...
      expect(await new FieldCipher(restored).decrypt(sealed, eventId)).toEqual({
        ok: true,
        value: 'Canary Person',
      });
      // ...until the composition root re-applies the erasures, as it does at every start.
      expect(await reapplyErasures(store, restored)).toBe(5);
      expect(await restored.findKey(personId, 'identity')).toBe('destroyed');
      expect(await new FieldCipher(restored).decrypt(sealed, eventId)).toEqual({
        ok: false,
        reason: 'erased',
      });
      expect(await reapplyErasures(store, restored)).toBe(0);
      expect((await restored.destructions()).map((entry) => entry.reason)).toEqual(
        Array<string>(5).fill(`erasure-request ${requestId}`),
      );
    } finally {
      await restored.close();
      await store.close();
    }
  });
});
