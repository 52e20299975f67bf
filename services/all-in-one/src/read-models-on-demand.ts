import type { HeldLock, Row, SqlClient, SqlDatabase } from '@waypoint/projections';
import type { OpenedReadModels, ReadModelsFolder } from './read-models.js';

/**
 * The read models, opened on first use. While the demo data goes in they stand still and the
 * seed's commands do not read them, so PGlite (its WebAssembly, heap and buffers: about 140 MB)
 * need not be in memory while the demo goes in: the process's peak is then the larger of the two
 * phases rather than their sum. A request that does read them opens them at that moment, as they
 * would have been opened before.
 */
export class ReadModelsOnDemand {
  private opening: Promise<OpenedReadModels> | undefined;
  /** Stands for the read models' database until it is open; each call opens it first. */
  readonly db: SqlDatabase;

  constructor(
    private readonly openNow: () => Promise<OpenedReadModels>,
    /** Waited for at close: an initdb process still making the folder. */
    private readonly folder?: Pick<ReadModelsFolder, 'settled'>,
  ) {
    const opened = async (): Promise<SqlDatabase> => (await this.open()).db;
    this.db = {
      dialect: 'pglite',
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row shape it expects, as with pg's own query<R>
      query: async <R extends Row = Row>(sql: string, params?: readonly unknown[]) =>
        (await opened()).query<R>(sql, params),
      transaction: async <T>(work: (tx: SqlClient) => Promise<T>): Promise<T> =>
        (await opened()).transaction(work),
      exec: async (sql: string): Promise<void> => (await opened()).exec(sql),
      tryLock: async (key: string): Promise<HeldLock | null> => (await opened()).tryLock(key),
      close: () => this.close(),
    };
  }

  /** Opens them (once): what `db` does on its first call, and what serving needs anyway. */
  open(): Promise<OpenedReadModels> {
    this.opening ??= this.openNow();
    return this.opening;
  }

  /** Closes them if they were opened; a failed opening has nothing to close. */
  async close(): Promise<void> {
    const opening = this.opening;
    if (opening === undefined) {
      // Nothing was opened, but a folder may be in the making: not left half made at exit.
      await this.folder?.settled();
      return;
    }
    const opened = await opening.catch(() => undefined);
    await opened?.db.close();
  }
}
