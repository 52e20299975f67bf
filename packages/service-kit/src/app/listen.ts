import type { FastifyInstance } from 'fastify';

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  /** Signals that stop the service gracefully. */
  readonly signals?: readonly NodeJS.Signals[];
  /** How long in-flight requests may take to finish before the process gives up on them. */
  readonly shutdownTimeoutMs?: number;
  /** Ends the process once stopped (0) or when stopping failed (1). */
  readonly exit?: (code: number) => void;
}

/**
 * Once the app is closing, answers say `Connection: close`: a keep-alive connection whose request
 * was in flight is then closed after its answer instead of holding the shutdown until it idles out.
 */
export function drainConnectionsOnClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}

/**
 * The only place a service listens (main.ts calls it). On SIGTERM or SIGINT it stops accepting
 * connections, lets in-flight requests finish, runs the app's onClose hooks (closing stores and
 * pools), then exits; if that takes longer than the timeout, it exits with 1.
 */
export async function listen(app: FastifyInstance, options: ListenOptions): Promise<string> {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exitProcess = options.exit ?? ((code: number) => process.exit(code));
  let exited = false;
  const exit = (code: number): void => {
    if (exited) return;
    exited = true;
    exitProcess(code);
  };
  const address = await app.listen({ host: options.host, port: options.port });

  let stopping = false;
  const unhook = (): void => {
    for (const signal of signals) process.off(signal, stop);
  };
  // A terminal's Ctrl-C reaches every process of the group, and a launcher (pnpm) may pass it on
  // too: a second signal while stopping is ignored, not left to kill the process mid-close.
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: finishing in-flight requests');
    const deadline = setTimeout(() => {
      app.log.error('in-flight requests did not finish in time; exiting');
      unhook();
      exit(1);
    }, options.shutdownTimeoutMs ?? 10_000);
    deadline.unref();
    app.close().then(
      () => {
        clearTimeout(deadline);
        app.log.info('stopped');
        unhook();
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        app.log.error({ err: error }, 'stopping failed');
        unhook();
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, stop);
  // Closed some other way (a test, a host process): the handlers go with the server.
  app.server.once('close', () => {
    if (!stopping) unhook();
  });
  return address;
}
