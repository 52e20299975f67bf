import { newEventId, type NewEvent } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { describe, expect, it } from 'vitest';
import { operationId, operationNewId, operationSeed, runOperation } from './operation.js';
import { resumableStore } from './resumable-store.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const startedAt = Date.parse('2026-01-02T03:04:05.678Z');

function event(id: string): NewEvent {
  return {
    id,
    type: 'ThingHappened',
    schemaVersion: 1,
    data: { n: 1 },
    metadata: {
      occurredAt: new Date(startedAt).toISOString(),
      actor: { userId: 'u', role: 'caseworker', orgId: 'o' },
      correlationId: 'c',
      causationId: 'c',
    },
  };
}

describe('operation ids', () => {
  const operation = {
    seed: operationSeed('user POST /x', 'key-1', 'hash'),
    startedAt,
    resumed: false,
  };

  it('are UUIDv7 whose time is when the request was first claimed', () => {
    const id = operationId(operation, 0);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(startedAt);
  });

  it('are the same for every run of one request, and differ per index and per request', async () => {
    const newId = operationNewId(newEventId);
    const run = () => runOperation(operation, () => Promise.resolve([newId(), newId()]));
    const [first, again] = [await run(), await run()];
    expect(again).toEqual(first);
    expect(first[0]).not.toBe(first[1]);
    const other = { ...operation, seed: operationSeed('user POST /x', 'key-2', 'hash') };
    expect(operationId(other, 0)).not.toBe(first[0]);
  });

  it('fall back to fresh ids outside a request', () => {
    const newId = operationNewId(() => 'fallback');
    expect(newId()).toBe('fallback');
  });
});

describe('the resumable store', () => {
  const seed = operationSeed('user POST /x', 'key-1', 'hash');

  describe('given a first run that appended to one stream and died before the second', () => {
    it('shows a resumed run each stream as the first run found it, and its append replays', async () => {
      const memory = new MemoryEventStore();
      await memory.append('a-1', [event(newEventId())], { expectedRevision: 'no_stream' });
      const first = { seed, startedAt, resumed: false };
      await memory.append('a-1', [event(operationId(first, 0))], { expectedRevision: 0 });
      await memory.append('a-1', [event(newEventId())], { expectedRevision: 1 });
      const store = resumableStore(memory);

      const resumed = { ...first, resumed: true };
      const seen = await runOperation(resumed, async () => {
        const read = [];
        for await (const recorded of store.readStream('a-1')) read.push(recorded.revision);
        const backwards = [];
        for await (const recorded of store.readStream('a-1', { direction: 'backwards' }))
          backwards.push(recorded.revision);
        const replay = await store.append('a-1', [event(operationId(resumed, 0))], {
          expectedRevision: 0,
        });
        const second = await store.append('b-1', [event(operationId(resumed, 1))], {
          expectedRevision: 'no_stream',
        });
        return {
          read,
          backwards,
          revision: await store.streamRevision('a-1'),
          replay,
          second: second.replayed,
        };
      });
      expect(seen.read).toEqual([0]);
      expect(seen.backwards).toEqual([0]);
      expect(seen.revision).toBe(0);
      expect(seen.replay).toMatchObject({ revision: 1, replayed: true });
      expect(seen.second).toBe(false);
      // Outside the run, the stream is what it is.
      expect(await store.streamRevision('a-1')).toBe(2);
    });
  });
});
