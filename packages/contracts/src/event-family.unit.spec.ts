import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { effectiveEvents } from './corrections.js';
import type { RecordedEvent } from './envelope.js';
import { EventFamily } from './event-family.js';
import { UnknownEventVersionError } from './upcasting.js';

describe('schema versions and upcasting', () => {
  const v1 = new EventFamily<{ type: 'ShelterNoted'; data: { name: string } }>(
    'demo',
    { ShelterNoted: z.object({ name: z.string() }) },
    [{ type: 'ShelterNoted', schemaVersion: 1, origin: 'fact', encrypted: {}, description: 'v1' }],
  );
  const v2 = new EventFamily<{
    type: 'ShelterNoted';
    data: { shelter: { name: string; secure: boolean } };
  }>(
    'demo',
    { ShelterNoted: z.object({ shelter: z.object({ name: z.string(), secure: z.boolean() }) }) },
    [{ type: 'ShelterNoted', schemaVersion: 2, origin: 'fact', encrypted: {}, description: 'v2' }],
  );
  v2.upcasters.register('ShelterNoted', 1, (data) => ({
    shelter: { name: data.name ?? null, secure: false },
  }));

  // The envelope a store returns for an event encoded at v1 (the store's contract suite checks
  // that it keeps the type, version and data exactly as appended).
  const storedAsV1 = (encoded: ReturnType<typeof v1.encode>): RecordedEvent => ({
    ...encoded,
    id: '0190f5d2-3c4e-7a00-8000-000000000001',
    stream: 'demo-1',
    revision: 0,
    position: '1',
    prevHash: null,
    hash: 'h',
    metadata: {
      occurredAt: '2026-01-01T00:00:00.000Z',
      recordedAt: '2026-01-01T00:00:00.000Z',
      actor: { userId: 'u', role: 'r', orgId: 'o' },
      correlationId: 'c',
      causationId: 'd',
    },
  });

  it('an event stored as v1 is read back in the v2 shape, and the stored event is unchanged', () => {
    const stored = storedAsV1(v1.encode({ type: 'ShelterNoted', data: { name: 'North house' } }));
    const before = structuredClone(stored);
    expect(stored.schemaVersion).toBe(1);
    expect(v2.decode(stored)).toEqual({
      type: 'ShelterNoted',
      data: { shelter: { name: 'North house', secure: false } },
    });
    expect(stored).toEqual(before);
    expect(
      v2.encode({ type: 'ShelterNoted', data: { shelter: { name: 'x', secure: true } } })
        .schemaVersion,
    ).toBe(2);
  });

  it('a version with no upcaster, or from the future, is an error, not a guess', () => {
    const v3 = new EventFamily('demo', { ShelterNoted: z.object({}) }, [
      { type: 'ShelterNoted', schemaVersion: 3, origin: 'fact', encrypted: {}, description: 'v3' },
    ]);
    expect(() => v3.decode({ type: 'ShelterNoted', schemaVersion: 1, data: {} })).toThrow(
      UnknownEventVersionError,
    );
    expect(() => v1.decode({ type: 'ShelterNoted', schemaVersion: 2, data: {} })).toThrow(
      UnknownEventVersionError,
    );
  });
});

describe('corrections', () => {
  const entry = (eventId: string, type: string, data: Record<string, unknown>) => ({
    eventId,
    event: { type, data },
  });
  it('a retracted event stops counting; an amended one counts with its replacement, in place', () => {
    const history = [
      entry('a', 'Noted', { n: 1 }),
      entry('b', 'Noted', { n: 2 }),
      entry('c', 'Noted', { n: 3 }),
      entry('d', 'EventRetracted', { retractedEventId: 'a' }),
      entry('e', 'EventAmended', { amendedEventId: 'b', replacement: { n: 20 } }),
    ];
    expect(effectiveEvents(history)).toEqual([
      { type: 'Noted', data: { n: 20 } },
      { type: 'Noted', data: { n: 3 } },
    ]);
  });
});
