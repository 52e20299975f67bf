import { describe, expect, it } from 'vitest';
import { WakeBroadcaster } from './wake-signal.js';

/** Whether the signal had been woken: a wait that does not end at once is abandoned. */
async function woken(signal: { wait(timeoutMs: number, abort: AbortSignal): Promise<void> }) {
  const abandon = new AbortController();
  const result = await Promise.race([
    signal.wait(60_000, abandon.signal).then(() => true),
    new Promise<boolean>((done) => setImmediate(done, false)),
  ]);
  abandon.abort();
  return result;
}

describe('the wake-ups of a store', () => {
  it('wake, after an append, only the subscribers whose filter reads one of its events', async () => {
    const broadcaster = new WakeBroadcaster();
    const journeys = broadcaster.register((stream) => stream.startsWith('journey-'));
    const shelters = broadcaster.register((stream) => stream.startsWith('shelter-'));
    const everything = broadcaster.register();
    broadcaster.notifyAll({ stream: 'journey-1', types: ['JourneyOpened'] });
    expect(await woken(journeys.signal)).toBe(true);
    expect(await woken(everything.signal)).toBe(true);
    expect(await woken(shelters.signal)).toBe(false);
  });

  it('wake a subscriber that reads any one of the appended types', async () => {
    const broadcaster = new WakeBroadcaster();
    const exits = broadcaster.register((_stream, type) => type === 'JourneyClosed');
    broadcaster.notifyAll({ stream: 'journey-1', types: ['NoteAdded', 'JourneyClosed'] });
    expect(await woken(exits.signal)).toBe(true);
  });

  it('wake everyone when they do not know what was written (another process appended)', async () => {
    const broadcaster = new WakeBroadcaster();
    const shelters = broadcaster.register((stream) => stream.startsWith('shelter-'));
    broadcaster.notifyAll();
    expect(await woken(shelters.signal)).toBe(true);
  });
});
