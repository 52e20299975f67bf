import type { FastifyInstance } from 'fastify';

/**
 * Runs `work` every `intervalMs` (never when 0) from the moment the app listens until it closes:
 * one run at a time, a failure logged (with `name`), not thrown, for the next run to try again.
 * A scheduled duty (the findings sweep, the erasure duties) is a serving app's work: an app that
 * only answers injected requests (a test, or the embedded start entering its demo data before it
 * listens) never runs one. The timer is unref'd: it never keeps a process alive.
 */
export function everyWhileListening(
  app: FastifyInstance,
  intervalMs: number,
  name: string,
  work: () => Promise<unknown>,
): void {
  if (intervalMs <= 0) return;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  app.addHook('onListen', (done) => {
    timer ??= setInterval(() => {
      running ??= work()
        .catch((error: unknown) => {
          app.log.error({ err: error }, `${name} failed`);
        })
        .finally(() => {
          running = undefined;
        });
    }, intervalMs);
    timer.unref();
    done();
  });
  // Before the app's own onClose hooks (which close what a duty uses): no run starts after them.
  app.addHook('preClose', async () => {
    clearInterval(timer);
    await running;
  });
}
