import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testAuth } from '../testing/test-auth.js';
import { createServiceApp, type ServiceApp } from './create-service-app.js';
import { listen } from './listen.js';

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** An app whose /slow request waits until the spec lets it finish. */
async function slowApp() {
  const entered = deferred();
  const finish = deferred();
  const closing = deferred();
  const auth = await testAuth();
  const app: ServiceApp = await createServiceApp({
    name: 'listen-demo',
    version: '0.1.0',
    authenticator: auth.authenticator,
    readiness: () => Promise.resolve(true),
    logger: { level: 'silent' },
    rateLimit: false,
  });
  app.get('/slow', { config: { access: { public: true } } }, async () => {
    entered.resolve();
    await finish.promise;
    return { done: true };
  });
  app.addHook('preClose', (done) => {
    closing.resolve();
    done();
  });
  return { app, entered, finish, closing };
}

function refused(address: string): Promise<boolean> {
  const { hostname, port } = new URL(address);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => {
      resolve(true);
    });
  });
}

describe('listen', () => {
  it('on a stop signal: stops accepting, finishes in-flight requests, closes, exits 0', async () => {
    const { app, entered, finish, closing } = await slowApp();
    const exited = deferred<number>();
    const address = await listen(app, {
      host: '127.0.0.1',
      port: 0,
      signals: ['SIGUSR2'],
      exit: (code) => {
        exited.resolve(code);
      },
    });
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const inFlight = fetch(`${address}/slow`);
    await entered.promise;
    process.emit('SIGUSR2', 'SIGUSR2');
    await closing.promise;
    expect(await refused(address)).toBe(true);

    finish.resolve();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    expect(await exited.promise).toBe(0);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('ignores a second signal while it closes (Ctrl-C reaches the launcher too, which may pass it on)', async () => {
    const { app } = await slowApp();
    const storesClosing = deferred();
    const storesMayClose = deferred();
    app.addHook('onClose', async () => {
      storesClosing.resolve();
      await storesMayClose.promise;
    });
    const exits: number[] = [];
    const exited = deferred();
    await listen(app, {
      host: '127.0.0.1',
      port: 0,
      signals: ['SIGUSR2'],
      exit: (code) => {
        exits.push(code);
        exited.resolve();
      },
    });

    process.emit('SIGUSR2', 'SIGUSR2');
    await storesClosing.promise;
    // The server is closed; the stores are not yet: a second signal must not find the default
    // handler (which would end the process mid-close).
    expect(process.listenerCount('SIGUSR2')).toBe(1);
    process.emit('SIGUSR2', 'SIGUSR2');
    storesMayClose.resolve();
    await exited.promise;
    expect(exits).toEqual([0]);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });

  it('exits 1 when in-flight requests outlast the shutdown timeout', async () => {
    const { app, entered, finish } = await slowApp();
    const exited = deferred<number>();
    const address = await listen(app, {
      host: '127.0.0.1',
      port: 0,
      signals: ['SIGUSR2'],
      shutdownTimeoutMs: 20,
      exit: (code) => {
        exited.resolve(code);
      },
    });
    const inFlight = fetch(`${address}/slow`);
    await entered.promise;
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await exited.promise).toBe(1);
    finish.resolve();
    await inFlight;
  });
});
