import { randomBytes } from 'node:crypto';
import type { Category } from '@waypoint/contracts';
import { createTestDatabase, type TestDatabase } from '@waypoint/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  keyStoreContract,
  newMasterKey,
  uniqueSubject,
  type KeyStoreStorage,
  type OpenOptions,
} from '../contract/index.js';
import { MIGRATIONS } from './migrations.js';
import { PostgresKeyStore } from './postgres-key-store.js';

const { postgresAdminUrl } = inject('services');

describe.skipIf(!postgresAdminUrl)('PostgresKeyStore', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(postgresAdminUrl ?? '');
  });
  afterAll(async () => {
    await database.drop();
  });

  async function superuser<T>(
    work: (client: pg.Client) => Promise<T>,
    schema?: string,
  ): Promise<T> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      if (schema) await client.query(`SET search_path = ${schema}`);
      return await work(client);
    } finally {
      await client.end();
    }
  }

  /** Each storage is a schema of its own in the file's database. */
  async function schemaStorage(): Promise<KeyStoreStorage & { readonly schema: string }> {
    const schema = `keys_${randomBytes(6).toString('hex')}`;
    await superuser((client) => client.query(`CREATE SCHEMA ${schema}`));
    const url = new URL(database.url);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const as = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => superuser(work, schema);
    return {
      schema,
      open: (options: OpenOptions) =>
        PostgresKeyStore.open({ connectionString: url.toString(), poolSize: 3, ...options }),
      // A backup as rows copied aside, and a restore as the tables put back exactly as they were
      // (sequence included) with triggers off, as restoring a whole database would.
      backup: async () => {
        const sequence = await as(async (client) => {
          await client.query('CREATE TABLE backup_keys AS SELECT * FROM wp_person_keys');
          await client.query('CREATE TABLE backup_log AS SELECT * FROM wp_key_destructions');
          const { rows } = await client.query<{ name: string }>(
            `SELECT pg_get_serial_sequence('wp_key_destructions', 'seq') AS name`,
          );
          const name = rows[0]?.name ?? '';
          const state = await client.query<{ last_value: string; is_called: boolean }>(
            `SELECT last_value, is_called FROM ${name}`,
          );
          return { name, ...state.rows[0] };
        });
        return () =>
          as(async (client) => {
            await client.query('BEGIN');
            await client.query('SET LOCAL session_replication_role = replica');
            await client.query('DELETE FROM wp_person_keys');
            await client.query('DELETE FROM wp_key_destructions');
            await client.query('INSERT INTO wp_person_keys SELECT * FROM backup_keys');
            await client.query(
              'INSERT INTO wp_key_destructions OVERRIDING SYSTEM VALUE SELECT * FROM backup_log',
            );
            await client.query('SELECT setval($1, $2, $3)', [
              sequence.name,
              sequence.last_value,
              sequence.is_called,
            ]);
            await client.query('COMMIT');
          });
      },
      copyWrappedKey: (from: string, to: string, category: Category) =>
        as(async (client) => {
          await client.query(
            `INSERT INTO wp_person_keys (subject, category, kid, wrapped)
             SELECT $2, category, kid, wrapped FROM wp_person_keys WHERE subject = $1 AND category = $3`,
            [from, to, category],
          );
        }),
      holdsWrappedKey: (subject: string, category: Category) =>
        as(async (client) => {
          const { rows } = await client.query(
            'SELECT 1 FROM wp_person_keys WHERE subject = $1 AND category = $2 AND wrapped IS NOT NULL',
            [subject, category],
          );
          return rows.length === 1;
        }),
      dispose: () => Promise.resolve(),
    };
  }

  keyStoreContract('PostgresKeyStore', { storage: schemaStorage });

  it('refuses to bring back, delete or truncate keys, and to change the destruction log', async () => {
    const storage = await schemaStorage();
    const store = await storage.open({ masterKey: newMasterKey('k1') });
    const subject = uniqueSubject();
    await store.keyFor(subject, 'identity');
    await store.destroy(subject, ['notes'], 'erasure-request');
    await store.close();
    await superuser(async (client) => {
      await expect(
        client.query(
          `UPDATE wp_person_keys SET kid = 'k1', wrapped = '\\x00', destroyed_at = NULL WHERE subject = $1 AND category = 'notes'`,
          [subject],
        ),
      ).rejects.toThrow(/never comes back/);
      await expect(
        client.query(`DELETE FROM wp_person_keys WHERE subject = $1`, [subject]),
      ).rejects.toThrow(/never deleted/);
      await expect(client.query('TRUNCATE wp_person_keys')).rejects.toThrow(/never deleted/);
      await expect(client.query('DELETE FROM wp_key_destructions')).rejects.toThrow(/append-only/);
      await expect(client.query(`UPDATE wp_key_destructions SET reason = 'x'`)).rejects.toThrow(
        /append-only/,
      );
    }, storage.schema);
  });

  it('applies its migrations once when several processes start at the same time', async () => {
    const fresh = await createTestDatabase(postgresAdminUrl ?? '');
    try {
      const stores = await Promise.all(
        Array.from({ length: 6 }, () =>
          PostgresKeyStore.open({
            connectionString: fresh.url,
            masterKey: newMasterKey('k1'),
            poolSize: 1,
          }),
        ),
      );
      await Promise.all(stores.map((store) => store.close()));
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: number }>(
          'SELECT version FROM wp_key_schema_migrations ORDER BY version',
        );
        expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await client.end();
      }
    } finally {
      await fresh.drop();
    }
  });
});
