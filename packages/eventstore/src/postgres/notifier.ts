import pg from 'pg';

export const CHANNEL = 'wp_events';

/**
 * Tells other processes that events were appended. The NOTIFY is sent after the append has
 * committed, on its own, and coalesced: a NOTIFY inside the append transaction would take
 * PostgreSQL's global notify lock at commit and serialise every writer.
 */
export class Notifier {
  private inFlight = false;
  private again = false;

  constructor(private readonly pool: pg.Pool) {}

  poke(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    void this.send();
  }

  private async send(): Promise<void> {
    for (;;) {
      this.again = false;
      try {
        await this.pool.query(`SELECT pg_notify('${CHANNEL}', '')`);
      } catch {
        // A lost wake-up only delays readers until their next poll.
      }
      if (!this.pokedMeanwhile()) break;
    }
    this.inFlight = false;
  }

  /** Appends that landed while the NOTIFY was in flight need one more. */
  private pokedMeanwhile(): boolean {
    return this.again;
  }
}

/** Listens for other processes' appends, reconnecting after a failure; readers poll meanwhile. */
export class Listener {
  private client: pg.Client | undefined;
  private starting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly onNotify: () => void,
  ) {}

  ensureStarted(): void {
    if (this.client || this.starting || this.closed) return;
    this.starting = this.start().finally(() => {
      this.starting = undefined;
    });
  }

  private async start(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('notification', () => {
      this.onNotify();
    });
    client.on('error', () => {
      this.drop(client);
    });
    client.on('end', () => {
      this.drop(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      // Anything appended while we were not listening is found by the next read.
      this.onNotify();
    } catch {
      this.drop(client);
    }
  }

  private drop(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    if (!this.closed && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.ensureStarted();
      }, 5_000);
      this.retry.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.starting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
