import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { everyWhileListening } from './while-listening.js';

let app: FastifyInstance;

beforeEach(() => {
  // Only the interval is faked: Fastify's own timers (plugin timeouts) stay real.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  app = Fastify({ logger: false });
});
afterEach(async () => {
  await app.close();
  vi.useRealTimers();
});

describe('a duty scheduled while the app listens', () => {
  it('never runs in an app that is only ready (injected requests, a seeding start)', async () => {
    const work = vi.fn(() => Promise.resolve());
    everyWhileListening(app, 10, 'duty', work);
    await app.ready();
    expect((await app.inject({ url: '/nothing' })).statusCode).toBe(404);
    vi.advanceTimersByTime(1_000);
    expect(work).not.toHaveBeenCalled();
  });

  it('runs every interval once the app listens', async () => {
    const work = vi.fn(() => Promise.resolve());
    everyWhileListening(app, 10, 'duty', work);
    await app.listen({ port: 0, host: '127.0.0.1' });
    vi.advanceTimersByTime(9);
    expect(work).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(21);
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('never runs when the interval is 0', async () => {
    const work = vi.fn(() => Promise.resolve());
    everyWhileListening(app, 0, 'duty', work);
    await app.listen({ port: 0, host: '127.0.0.1' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(work).not.toHaveBeenCalled();
  });

  it('runs one at a time: a tick while a run is in progress is skipped', async () => {
    let finish: () => void = () => undefined;
    const work = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    everyWhileListening(app, 10, 'duty', work);
    await app.listen({ port: 0, host: '127.0.0.1' });
    await vi.advanceTimersByTimeAsync(50);
    expect(work).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(10);
    expect(work).toHaveBeenCalledTimes(2);
    finish();
  });

  it('logs a failed run and tries again at the next interval', async () => {
    const errors: string[] = [];
    app = Fastify({
      logger: {
        level: 'error',
        stream: {
          write: (line: string) => {
            errors.push((JSON.parse(line) as { msg: string }).msg);
          },
        },
      },
    });
    const work = vi.fn(() => Promise.reject(new Error('store unavailable')));
    everyWhileListening(app, 10, 'findings sweep', work);
    await app.listen({ port: 0, host: '127.0.0.1' });
    await vi.advanceTimersByTimeAsync(20);
    expect(work).toHaveBeenCalledTimes(2);
    expect(errors).toEqual(['findings sweep failed', 'findings sweep failed']);
  });

  it('stops at close, after the run in progress has finished', async () => {
    let finish: () => void = () => undefined;
    let finished = false;
    const work = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            finished = true;
            resolve();
          };
        }),
    );
    everyWhileListening(app, 10, 'duty', work);
    await app.listen({ port: 0, host: '127.0.0.1' });
    await vi.advanceTimersByTimeAsync(10);
    const closed = app.close().then(() => finished);
    finish();
    expect(await closed).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
