import { describe, expect, it } from 'vitest';
import type { Migration } from './migration.js';
import { migratePostgres, type PostgresMigrationDb } from './postgres-migrations.js';
import { migrateSqlite, type SqliteMigrationDb } from './sqlite-migrations.js';

const steps: Migration[] = [
  { version: 2, name: 'second', sql: 'CREATE TABLE b ()' },
  { version: 1, name: "the first's", sql: 'CREATE TABLE a ()' },
];

/** A database that records the scripts it runs and has the given versions recorded. */
function postgres(recorded: number[], fail?: (script: string) => Error | undefined) {
  const scripts: string[] = [];
  const db: PostgresMigrationDb = {
    query: (sql) => {
      scripts.push(sql);
      return Promise.resolve({ rows: recorded.map((version) => ({ version })) });
    },
    exec: (sql) => {
      const error = fail?.(sql);
      if (error) return Promise.reject(error);
      scripts.push(sql);
      return Promise.resolve();
    },
  };
  return { db, scripts };
}

const plan = (migrations: readonly Migration[]) => ({
  table: 'wp_demo_migrations',
  lock: [1, 2] as const,
  migrations,
});

describe('the PostgreSQL runner', () => {
  it('applies the steps not recorded, in version order, each with its record under the lock', async () => {
    const { db, scripts } = postgres([]);
    await expect(migratePostgres(db, plan(steps))).resolves.toEqual([1, 2]);
    expect(scripts[0]).toContain('SELECT pg_advisory_xact_lock(1, 2);');
    expect(scripts[0]).toContain('CREATE TABLE IF NOT EXISTS wp_demo_migrations');
    expect(scripts[2]).toMatch(
      /pg_advisory_xact_lock\(1, 2\);\s+INSERT INTO wp_demo_migrations \(version, name\) VALUES \(1, 'the first''s'\);\s+CREATE TABLE a \(\)/,
    );
    expect(scripts[3]).toContain('CREATE TABLE b ()');
  });

  it('leaves recorded steps alone', async () => {
    const { db, scripts } = postgres([1]);
    await expect(migratePostgres(db, plan(steps))).resolves.toEqual([2]);
    expect(scripts.join('\n')).not.toContain('CREATE TABLE a');
  });

  it('moves on when another process recorded the step while this one waited', async () => {
    const raced = Object.assign(new Error('duplicate key'), {
      code: '23505',
      constraint: 'wp_demo_migrations_pkey',
    });
    const { db } = postgres([], (script) =>
      script.includes('CREATE TABLE a') ? raced : undefined,
    );
    await expect(migratePostgres(db, plan(steps))).resolves.toEqual([2]);
  });

  it('stops at a step that fails for any other reason', async () => {
    const broken = Object.assign(new Error('syntax error'), { code: '42601' });
    const { db } = postgres([], (script) =>
      script.includes('CREATE TABLE a') ? broken : undefined,
    );
    await expect(migratePostgres(db, plan(steps))).rejects.toBe(broken);
  });

  it('refuses a table name that is not a plain identifier, and repeated versions', async () => {
    const { db } = postgres([]);
    await expect(migratePostgres(db, { ...plan(steps), table: 'x; DROP TABLE y' })).rejects.toThrow(
      'not a plain name',
    );
    await expect(migratePostgres(db, plan([...steps, steps[0]!]))).rejects.toThrow(
      'two migrations have version 2',
    );
  });

  it('runs scripts through query where the database has no exec (pg)', async () => {
    const scripts: string[] = [];
    const db: PostgresMigrationDb = {
      query: (sql) => {
        scripts.push(sql);
        return Promise.resolve({ rows: [] });
      },
    };
    await migratePostgres(db, plan(steps));
    expect(scripts.filter((script) => script.includes('INSERT INTO'))).toHaveLength(2);
  });
});

/** A SQLite file reduced to what the runner touches: user_version and a transaction. */
function sqlite(userVersion: number, failOn?: string) {
  const state = { userVersion, inTransaction: false, applied: [] as string[] };
  let pending: { userVersion: number; applied: string[] } | undefined;
  const db: SqliteMigrationDb = {
    get inTransaction() {
      return state.inTransaction;
    },
    exec(sql) {
      if (sql === 'BEGIN IMMEDIATE') {
        state.inTransaction = true;
        pending = { userVersion: state.userVersion, applied: [...state.applied] };
      } else if (sql === 'COMMIT') {
        state.inTransaction = false;
      } else if (sql === 'ROLLBACK') {
        state.inTransaction = false;
        if (pending) Object.assign(state, pending);
      } else if (sql === failOn) {
        throw new Error(`cannot ${sql}`);
      } else {
        state.applied.push(sql);
      }
      return undefined;
    },
    pragma(source) {
      const set = /^user_version = (\d+)$/.exec(source);
      if (set) state.userVersion = Number(set[1]);
      return state.userVersion;
    },
  };
  return { db, state };
}

describe('the SQLite runner', () => {
  it('applies the steps above the file’s user_version in order and records each', () => {
    const { db, state } = sqlite(0);
    expect(migrateSqlite(db, steps)).toEqual([1, 2]);
    expect(state).toEqual({
      userVersion: 2,
      inTransaction: false,
      applied: ['CREATE TABLE a ()', 'CREATE TABLE b ()'],
    });
  });

  it('leaves a file made by an earlier release at its version alone', () => {
    const { db, state } = sqlite(2);
    expect(migrateSqlite(db, steps)).toEqual([]);
    expect(state.applied).toEqual([]);
  });

  it('leaves the file as it was when a step fails', () => {
    const { db, state } = sqlite(0, 'CREATE TABLE b ()');
    expect(() => migrateSqlite(db, steps)).toThrow('cannot CREATE TABLE b ()');
    expect(state).toEqual({ userVersion: 0, inTransaction: false, applied: [] });
  });
});
