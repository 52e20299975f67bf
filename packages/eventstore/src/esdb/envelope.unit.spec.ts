import type { EventData, RecordedEvent as ServerRecordedEvent } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import type { PreparedEvent } from '../base-event-store.js';
import { testEvent, testEvents } from '../contract/fixtures.js';
import { payloadHashOfCanonical, verifyEvents } from '../hash-chain.js';
import { DEFAULT_LIMITS, validateAppend } from '../validate-append.js';
import type { NewEvent, RecordedEvent } from '@waypoint/contracts';
import { claimEventData, claimOf, fromServerEvent, toEventData } from './envelope.js';
import { chain } from './esdb-event-store.js';
import { mapLimit } from './server-reads.js';
import { StreamNaming } from './stream-naming.js';

const naming = new StreamNaming('run.');

function prepare(stream: string, events: NewEvent[]): PreparedEvent[] {
  return validateAppend(stream, events, {}, DEFAULT_LIMITS).events.map((event) => ({
    ...event,
    payloadHash: payloadHashOfCanonical(
      { ...event.event, stream },
      event.dataJson,
      event.metadataJson,
    ),
  }));
}

/** What the client hands back for an event it wrote: JSON through the wire, server fields added. */
function asStored(
  data: EventData,
  streamId: string,
  revision: number,
  commit: bigint,
): ServerRecordedEvent {
  if (data.contentType !== 'application/json') throw new Error('expected a JSON event');
  return {
    streamId,
    id: data.id,
    isJson: true,
    revision: BigInt(revision),
    type: data.type,
    created: new Date(0),
    data: JSON.parse(JSON.stringify(data.data)) as ServerRecordedEvent['data'],
    metadata:
      data.metadata === undefined
        ? undefined
        : (JSON.parse(JSON.stringify(data.metadata)) as ServerRecordedEvent['metadata']),
    position: { commit, prepare: commit },
  } as ServerRecordedEvent;
}

async function* each(events: RecordedEvent[]): AsyncGenerator<RecordedEvent> {
  for (const event of events) yield await Promise.resolve(event);
}

describe('the envelope kept on the server', () => {
  it('reads back exactly what was appended, with a hash chain that verifies', async () => {
    const stream = 'case-1';
    const written = [testEvent('CaseOpened', { code: 'A1' }), ...testEvents(2)];
    const first = chain(prepare(stream, written.slice(0, 1)), null, 0, '2026-01-15T10:00:00.000Z');
    const rest = chain(
      prepare(stream, written.slice(1)),
      first[0] ?? null,
      1,
      '2026-01-15T10:00:01.000Z',
    );
    const read = [...first, ...rest].map((chained, index) => {
      const event = fromServerEvent(
        naming,
        asStored(toEventData(chained), 'run.case-1', index, BigInt(100 + index)),
      );
      if (!event) throw new Error('not decoded');
      return event;
    });
    expect(read.map((event) => [event.id, event.type, event.data, event.revision])).toEqual(
      written.map((event, index) => [event.id, event.type, event.data, index]),
    );
    expect(read[0]?.metadata).toEqual({
      ...written[0]?.metadata,
      recordedAt: '2026-01-15T10:00:00.000Z',
    });
    expect(read[1]?.prevHash).toBe(read[0]?.hash);
    expect((read[0]?.position ?? '') < (read[1]?.position ?? '')).toBe(true);
    await expect(verifyEvents(stream, each(read))).resolves.toMatchObject({ ok: true, events: 3 });

    const tampered = read.map((event, index) =>
      index === 1 ? { ...event, data: { ...event.data, changed: true } } : event,
    );
    await expect(verifyEvents(stream, each(tampered))).resolves.toMatchObject({
      ok: false,
      brokenAt: { revision: 1, reason: 'payload-altered' },
    });
  });

  it("names the server's correlation and causation fields, so its own projections can use them", () => {
    const [chained] = chain(prepare('case-2', [testEvent()]), null, 0, '2026-01-15T10:00:00.000Z');
    if (!chained) throw new Error('no event');
    expect(toEventData(chained).metadata).toMatchObject({
      $correlationId: 'correlation-1',
      $causationId: 'causation-1',
      waypoint: 1,
    });
  });

  it('leaves out what it did not write: system events, claims, other prefixes, foreign payloads', () => {
    const [chained] = chain(prepare('case-3', [testEvent()]), null, 0, '2026-01-15T10:00:00.000Z');
    if (!chained) throw new Error('no event');
    const ours = asStored(toEventData(chained), 'run.case-3', 0, 1n);
    expect(fromServerEvent(naming, ours)).not.toBeNull();
    expect(fromServerEvent(naming, { ...ours, streamId: 'case-3' })).toBeNull();
    expect(fromServerEvent(naming, { ...ours, streamId: '$stats-node' })).toBeNull();
    expect(fromServerEvent(naming, { ...ours, metadata: { $correlationId: 'x' } })).toBeNull();
    expect(fromServerEvent(naming, { ...ours, metadata: undefined })).toBeNull();
    const claim = asStored(
      claimEventData({ stream: 'case-3', revision: 0 }),
      naming.claimStream(chained.prepared.event.id),
      0,
      2n,
    );
    expect(fromServerEvent(naming, claim)).toBeNull();
    expect(claimOf(claim)).toEqual({ stream: 'case-3', revision: 0 });
    expect(claimOf(ours)).toBeNull();
  });
});

describe('bounded concurrency for claims', () => {
  it('keeps the order of results and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimit(
      Array.from({ length: 50 }, (_, index) => index),
      4,
      async (item) => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return item * 2;
      },
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, index) => index * 2));
    expect(peak).toBe(4);
  });
});
