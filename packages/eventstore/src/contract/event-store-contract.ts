import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStoreError, WrongExpectedRevisionError } from '../errors.js';
import { newEventId } from '../event-id.js';
import type { NewEvent, RecordedEvent } from '@waypoint/contracts';
import type { EventStore, ExpectedRevision, SubscriptionBatch } from '../types.js';
import { collect, ids, revisions, testEvent, testEvents, uniqueStream } from './fixtures.js';
import { ReferenceModel, type ModelOutcome } from './reference-model.js';

export interface ContractOptions {
  /** Opens a store on fresh storage; the suite closes it. */
  readonly open: () => Promise<EventStore>;
  /**
   * Changes a stored event's data behind the store's back (as a superuser would, triggers off)
   * and returns a store to verify with (the same one, or one reopened on the same storage).
   */
  readonly tamper: (store: EventStore, stream: string, revision: number) => Promise<EventStore>;
  /** Random runs of the property test. */
  readonly propertyRuns?: number;
}

async function expectError(promise: Promise<unknown>, code: string): Promise<EventStoreError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(EventStoreError);
  expect((error as EventStoreError).code).toBe(code);
  return error as EventStoreError;
}

/** The one suite every adapter passes: memory, PostgreSQL, SQLite, and later KurrentDB. */
export function eventStoreContract(name: string, options: ContractOptions): void {
  describe(`${name}: the EventStore contract`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await options.open();
    });
    afterAll(async () => {
      await store.close();
    });

    describe('append to a new stream', () => {
      it('stores the events at revisions 0..n-1 with the full envelope', async () => {
        const stream = uniqueStream();
        const events = [
          testEvent('CaseOpened', { code: 'A1' }),
          testEvent('NoteAdded', { nested: { list: [1, 'two', null, true] } }),
        ];
        const result = await store.append(stream, events, { expectedRevision: 'no_stream' });
        expect(result).toMatchObject({ revision: 1, replayed: false });

        const read = await collect(store.readStream(stream));
        expect(revisions(read)).toEqual([0, 1]);
        expect(read.map((event) => event.type)).toEqual(['CaseOpened', 'NoteAdded']);
        expect(read.map((event) => event.data)).toEqual(events.map((event) => event.data));
        const [first, second] = read as [RecordedEvent, RecordedEvent];
        expect(first).toMatchObject({
          id: events[0]?.id,
          stream,
          schemaVersion: 1,
          prevHash: null,
        });
        expect(first.metadata).toMatchObject(events[0]?.metadata ?? {});
        expect(first.metadata.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(second.prevHash).toBe(first.hash);
        expect(result.hash).toBe(second.hash);
        expect(result.position).toBe(second.position);
        expect(first.position < second.position).toBe(true);
        expect(await store.streamRevision(stream)).toBe(1);
      });

      it('keeps occurredAt as given and sets recordedAt itself, never earlier than the previous event', async () => {
        const stream = uniqueStream();
        const backdated = testEvent(
          'LateReport',
          {},
          {
            metadata: { ...testEvent().metadata, occurredAt: '2019-03-01T00:00:00.000Z' },
          },
        );
        await store.append(stream, [testEvent()]);
        await store.append(stream, [backdated]);
        const [first, second] = await collect(store.readStream(stream));
        expect(second?.metadata.occurredAt).toBe('2019-03-01T00:00:00.000Z');
        expect(Date.parse(second?.metadata.recordedAt ?? '')).toBeGreaterThanOrEqual(
          Date.parse(first?.metadata.recordedAt ?? ''),
        );
        expect(Math.abs(Date.parse(second?.metadata.recordedAt ?? '') - Date.now())).toBeLessThan(
          60_000,
        );
      });
    });

    describe('expected revision', () => {
      it('no_stream fails once the stream exists, naming the actual revision', async () => {
        const stream = uniqueStream();
        await store.append(stream, testEvents(3));
        const error = await expectError(
          store.append(stream, [testEvent()], { expectedRevision: 'no_stream' }),
          'WRONG_EXPECTED_REVISION',
        );
        expect(error).toMatchObject({ stream, expected: 'no_stream', actual: 2 });
      });

      it('stream_exists fails on a missing stream', async () => {
        const stream = uniqueStream();
        const error = await expectError(
          store.append(stream, [testEvent()], { expectedRevision: 'stream_exists' }),
          'WRONG_EXPECTED_REVISION',
        );
        expect(error).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
        await store.append(stream, [testEvent()]);
        await expect(
          store.append(stream, [testEvent()], { expectedRevision: 'stream_exists' }),
        ).resolves.toMatchObject({ revision: 1 });
      });

      it('a revision must equal the last one', async () => {
        const stream = uniqueStream();
        await store.append(stream, testEvents(2), { expectedRevision: 'no_stream' });
        const error = await expectError(
          store.append(stream, [testEvent()], { expectedRevision: 0 }),
          'WRONG_EXPECTED_REVISION',
        );
        expect(error).toMatchObject({ expected: 0, actual: 1 });
        await expectError(
          store.append(uniqueStream(), [testEvent()], { expectedRevision: 0 }),
          'WRONG_EXPECTED_REVISION',
        );
        await expect(
          store.append(stream, [testEvent()], { expectedRevision: 1 }),
        ).resolves.toMatchObject({ revision: 2 });
      });

      it('any appends whatever the stream holds', async () => {
        const stream = uniqueStream();
        await store.append(stream, [testEvent()], { expectedRevision: 'any' });
        await expect(store.append(stream, [testEvent()])).resolves.toMatchObject({ revision: 1 });
      });
    });

    describe('idempotent appends', () => {
      it('the same event ids at the same expected revision return the first result and write nothing', async () => {
        const stream = uniqueStream();
        const batch = testEvents(3);
        const first = await store.append(stream, batch, { expectedRevision: 'no_stream' });
        await store.append(stream, [testEvent()]);
        const again = await store.append(stream, batch, { expectedRevision: 'no_stream' });
        expect(again).toEqual({ ...first, replayed: true });
        expect(await collect(store.readStream(stream))).toHaveLength(4);
      });

      it('with expected revision any, a retry is recognised too', async () => {
        const stream = uniqueStream();
        await store.append(stream, [testEvent()]);
        const batch = testEvents(2);
        const first = await store.append(stream, batch, { expectedRevision: 0 });
        expect(await store.append(stream, batch)).toEqual({ ...first, replayed: true });
      });

      it('a retry at another expected revision is a conflict', async () => {
        const stream = uniqueStream();
        const batch = testEvents(2);
        await store.append(stream, batch, { expectedRevision: 'no_stream' });
        const error = await expectError(
          store.append(stream, batch, { expectedRevision: 5 }),
          'WRONG_EXPECTED_REVISION',
        );
        expect(error).toMatchObject({ actual: 1 });
      });

      it('ids stored by another append, in part or in another stream, are refused', async () => {
        const stream = uniqueStream();
        const [a, b] = testEvents(2) as [NewEvent, NewEvent];
        await store.append(stream, [a]);
        const partial = await expectError(store.append(stream, [a, b]), 'DUPLICATE_EVENT_ID');
        expect(partial).toMatchObject({ eventIds: [a.id] });
        await expectError(store.append(uniqueStream(), [a]), 'DUPLICATE_EVENT_ID');
        expect(await collect(store.readStream(stream))).toHaveLength(1);
      });
    });

    describe('bad input is refused before anything is written', () => {
      const bad: [string, string, () => [string, unknown[], ExpectedRevision?]][] = [
        ['stream without category', 'INVALID_STREAM_NAME', () => ['nocategory', [testEvent()]]],
        ['stream with upper-case category', 'INVALID_STREAM_NAME', () => ['Test-1', [testEvent()]]],
        ['stream with a space', 'INVALID_STREAM_NAME', () => ['test-a b', [testEvent()]]],
        ['empty batch', 'INVALID_EVENT', () => [uniqueStream(), []]],
        [
          'event id not a UUIDv7',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), id: 'abc' }]],
        ],
        [
          'event type not PascalCase',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), type: 'drop table' }]],
        ],
        [
          'schema version 0',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), schemaVersion: 0 }]],
        ],
        [
          'data with a function',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), data: { f: () => 1 } }]],
        ],
        [
          'data with NaN',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), data: { n: Number.NaN } }]],
        ],
        [
          'data with a Date',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), data: { d: new Date() } }]],
        ],
        [
          'data with a bigint',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), data: { b: 1n } }]],
        ],
        [
          'data with undefined',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), data: { u: undefined } }]],
        ],
        [
          'data with a NUL character',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), data: { s: 'a\u0000b' } }]],
        ],
        [
          'data that is an array',
          'INVALID_EVENT',
          () => [uniqueStream(), [{ ...testEvent(), data: [1] }]],
        ],
        [
          'metadata with recordedAt',
          'INVALID_EVENT',
          () => [
            uniqueStream(),
            [
              {
                ...testEvent(),
                metadata: { ...testEvent().metadata, recordedAt: '2020-01-01T00:00:00.000Z' },
              },
            ],
          ],
        ],
        [
          'metadata without actor',
          'INVALID_EVENT',
          () => [
            uniqueStream(),
            [{ ...testEvent(), metadata: { ...testEvent().metadata, actor: undefined } }],
          ],
        ],
        [
          'occurredAt not an instant',
          'INVALID_EVENT',
          () => [
            uniqueStream(),
            [{ ...testEvent(), metadata: { ...testEvent().metadata, occurredAt: 'yesterday' } }],
          ],
        ],
        [
          'oversized event',
          'EVENT_TOO_LARGE',
          () => [uniqueStream(), [testEvent('Big', { blob: 'x'.repeat(300 * 1024) })]],
        ],
        [
          'negative expected revision',
          'INVALID_REVISION',
          () => [uniqueStream(), [testEvent()], -1],
        ],
        [
          'fractional expected revision',
          'INVALID_REVISION',
          () => [uniqueStream(), [testEvent()], 1.5],
        ],
        [
          'the same id twice in a batch',
          'INVALID_EVENT',
          () => {
            const event = testEvent();
            return [uniqueStream(), [event, event]];
          },
        ],
        [
          'one bad event in a batch of three',
          'INVALID_EVENT',
          () => [
            uniqueStream(),
            [testEvent(), { ...testEvent(), data: { n: Number.POSITIVE_INFINITY } }, testEvent()],
          ],
        ],
      ];
      it.each(bad)('%s', async (_label, code, input) => {
        const [stream, events, expected] = input();
        const error = await expectError(
          store.append(
            stream,
            events as NewEvent[],
            expected === undefined ? {} : { expectedRevision: expected },
          ),
          code,
        );
        expect((error as { field?: string }).field).toBeTruthy();
        if (/^[a-z]+-/.test(stream)) expect(await store.streamRevision(stream)).toBeNull();
      });
    });

    describe('readStream', () => {
      const stream = uniqueStream();
      beforeAll(async () => {
        await store.append(stream, testEvents(10));
      });
      it('reads forwards from a revision with a max count', async () => {
        expect(
          revisions(await collect(store.readStream(stream, { from: 3, maxCount: 4 }))),
        ).toEqual([3, 4, 5, 6]);
      });
      it('reads backwards from the end, or from a revision', async () => {
        expect(
          revisions(
            await collect(store.readStream(stream, { direction: 'backwards', maxCount: 3 })),
          ),
        ).toEqual([9, 8, 7]);
        expect(
          revisions(await collect(store.readStream(stream, { direction: 'backwards', from: 2 }))),
        ).toEqual([2, 1, 0]);
      });
      it('reads nothing past the end or from a missing stream', async () => {
        expect(await collect(store.readStream(stream, { from: 10 }))).toEqual([]);
        expect(await collect(store.readStream(uniqueStream()))).toEqual([]);
        expect(await store.streamRevision(uniqueStream())).toBeNull();
      });
      it('pages through a stream longer than one page', async () => {
        const long = uniqueStream();
        await store.append(long, testEvents(2_500));
        const forwards = await collect(store.readStream(long));
        expect(revisions(forwards)).toEqual(Array.from({ length: 2_500 }, (_, index) => index));
        const backwards = await collect(
          store.readStream(long, { direction: 'backwards', from: 2_200, maxCount: 1_500 }),
        );
        expect(backwards).toHaveLength(1_500);
        expect(backwards[backwards.length - 1]?.revision).toBe(701);
      });
      it('refuses a negative revision or a malformed stream name', async () => {
        await expectError(collect(store.readStream(stream, { from: -1 })), 'INVALID_REVISION');
        await expectError(collect(store.readStream('bad name')), 'INVALID_STREAM_NAME');
      });
    });

    describe('readAll', () => {
      it('returns every event after a position, in append order, with filters', async () => {
        const run = `r${newEventId()
          .slice(-8)
          .replace(/[^a-z0-9]/g, 'x')}`;
        const cases = uniqueStream(`${run}case`);
        const access = uniqueStream(`${run}access-journey`);
        await store.append(cases, [testEvent('Opened'), testEvent('Noted')]);
        await store.append(access, [testEvent('PersonalDataRead')]);
        await store.append(cases, [testEvent('Closed')]);

        const mine = { categories: [`${run}case`, `${run}access`] };
        expect((await collect(store.readAll({ filter: mine }))).map((event) => event.type)).toEqual(
          ['Opened', 'Noted', 'PersonalDataRead', 'Closed'],
        );
        expect(
          (await collect(store.readAll({ filter: { categories: [`${run}access`] } }))).map(
            (event) => event.stream,
          ),
        ).toEqual([access]);
        expect(
          (
            await collect(store.readAll({ filter: { ...mine, eventTypes: ['Noted', 'Closed'] } }))
          ).map((event) => event.type),
        ).toEqual(['Noted', 'Closed']);

        const all = await collect(store.readAll({ filter: mine }));
        const afterSecond = await collect(
          store.readAll({ from: all[1]?.position ?? '', filter: mine }),
        );
        expect(ids(afterSecond)).toEqual(ids(all.slice(2)));
      });

      it('moves its position past filtered-out events, so a reader never rescans them', async () => {
        const run = `f${newEventId()
          .slice(-8)
          .replace(/[^a-z0-9]/g, 'x')}`;
        const noise = uniqueStream(`${run}noise`);
        const signal = uniqueStream(`${run}signal`);
        await store.append(signal, [testEvent('Wanted')]);
        await store.append(noise, testEvents(30, 'Unwanted'));
        const batch = await store.readAllBatch({
          maxCount: 10,
          filter: { categories: [`${run}signal`] },
        });
        expect(batch.events.map((event) => event.type)).toEqual(['Wanted']);
        expect(batch.endOfLog).toBe(true);
        const noiseEvents = await collect(store.readStream(noise));
        expect(batch.position >= (noiseEvents[noiseEvents.length - 1]?.position ?? '')).toBe(true);
        const next = await store.readAllBatch({
          from: batch.position,
          maxCount: 10,
          filter: { categories: [`${run}signal`] },
        });
        expect(next.events).toEqual([]);
      });

      it('refuses a malformed position or filter', async () => {
        await expectError(
          store.readAllBatch({ from: 'not-a-position', maxCount: 1 }),
          'INVALID_POSITION',
        );
        await expectError(
          store.readAllBatch({ maxCount: 1, filter: { categories: ['Bad Category'] } }),
          'INVALID_STREAM_NAME',
        );
      });
    });

    describe('subscribe', () => {
      it('catches up from a checkpoint, then delivers new events live, once each', async () => {
        const category = `sub${newEventId()
          .slice(-8)
          .replace(/[^a-z0-9]/g, 'x')}`;
        const stream = uniqueStream(category);
        await store.append(stream, testEvents(5));
        const seen: RecordedEvent[] = [];
        const checkpoints: string[] = [];
        const subscription = store.subscribe(
          { filter: { categories: [category] }, batchSize: 2 },
          (batch: SubscriptionBatch) => {
            seen.push(...batch.events);
            checkpoints.push(batch.position);
          },
        );
        await subscription.whenCaughtUp();
        expect(revisions(seen)).toEqual([0, 1, 2, 3, 4]);
        await store.append(stream, testEvents(3));
        await subscription.whenCaughtUp();
        expect(revisions(seen)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        expect([...checkpoints].sort()).toEqual(checkpoints);
        await subscription.stop();
        await expect(subscription.done).resolves.toBeUndefined();

        const resumed: RecordedEvent[] = [];
        const middle = seen[4]?.position ?? '';
        const again = store.subscribe(
          { from: middle, filter: { categories: [category] } },
          (batch) => {
            resumed.push(...batch.events);
          },
        );
        await again.whenCaughtUp();
        expect(revisions(resumed)).toEqual([5, 6, 7]);
        await again.stop();
      });

      it('wakes a filtered subscriber for its own events at once, past appends it does not read', async () => {
        const suffix = newEventId()
          .slice(-8)
          .replace(/[^a-z0-9]/g, 'x');
        const watched = uniqueStream(`mine${suffix}`);
        const other = uniqueStream(`other${suffix}`);
        let delivered: (events: readonly RecordedEvent[]) => void = () => undefined;
        const arrived = new Promise<readonly RecordedEvent[]>((resolve) => {
          delivered = resolve;
        });
        // No poll within the test's time: only a wake-up can bring the event.
        const subscription = store.subscribe(
          { filter: { categories: [`mine${suffix}`] }, pollIntervalMs: 600_000 },
          (batch) => {
            if (batch.events.length > 0) delivered(batch.events);
          },
        );
        await subscription.whenCaughtUp();
        for (let n = 0; n < 3; n += 1) await store.append(other, [testEvent()]);
        await store.append(watched, [testEvent()]);
        expect(revisions(await arrived)).toEqual([0]);
        // Asked, it reads what it skipped: its checkpoint reaches the end of the log.
        const last = await store.append(other, [testEvent()]);
        await subscription.whenCaughtUp();
        expect(subscription.position).toBe(last.position);
        await subscription.stop();
      });

      it('stops and reports the error when the handler fails', async () => {
        const category = `err${newEventId()
          .slice(-8)
          .replace(/[^a-z0-9]/g, 'x')}`;
        await store.append(uniqueStream(category), [testEvent()]);
        const subscription = store.subscribe({ filter: { categories: [category] } }, () => {
          throw new Error('projection failed');
        });
        await expect(subscription.done).rejects.toThrow('projection failed');
        await expect(subscription.whenCaughtUp()).rejects.toThrow('projection failed');
      });
    });

    describe('hash chain', () => {
      it('verifies an untouched stream', async () => {
        const stream = uniqueStream();
        await store.append(stream, testEvents(3));
        await store.append(stream, testEvents(2));
        const result = await store.verifyStream(stream);
        expect(result).toMatchObject({ ok: true, events: 5 });
      });
      it('names the event that was changed behind its back', async () => {
        const stream = uniqueStream();
        await store.append(stream, testEvents(6));
        const events = await collect(store.readStream(stream));
        store = await options.tamper(store, stream, 3);
        const result = await store.verifyStream(stream);
        expect(result).toEqual({
          ok: false,
          stream,
          events: 3,
          brokenAt: { revision: 3, eventId: events[3]?.id, reason: 'payload-altered' },
        });
      });
    });

    describe('concurrent writers', () => {
      it('with the same expected revision, exactly one wins each revision and nothing is lost or duplicated', async () => {
        const stream = uniqueStream();
        const writers = 8;
        const rounds = 6;
        const winners: string[] = [];
        for (let round = 0; round < rounds; round += 1) {
          const expected: ExpectedRevision = round === 0 ? 'no_stream' : round - 1;
          const attempts = Array.from({ length: writers }, () => testEvent('Attempt'));
          const outcomes = await Promise.allSettled(
            attempts.map((event) => store.append(stream, [event], { expectedRevision: expected })),
          );
          const won = outcomes.flatMap((outcome, index) =>
            outcome.status === 'fulfilled' ? [attempts[index]?.id ?? ''] : [],
          );
          expect(won).toHaveLength(1);
          for (const outcome of outcomes) {
            if (outcome.status === 'rejected') {
              expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
              expect((outcome.reason as WrongExpectedRevisionError).actual).toBe(round);
            }
          }
          winners.push(...won);
        }
        const stored = await collect(store.readStream(stream));
        expect(ids(stored)).toEqual(winners);
        expect(revisions(stored)).toEqual([0, 1, 2, 3, 4, 5]);
        expect((await store.verifyStream(stream)).ok).toBe(true);
      });
    });

    describe('against the reference model', () => {
      type Op =
        | {
            kind: 'append';
            stream: number;
            expected: 'any' | 'no_stream' | 'stream_exists' | 'head' | number;
            count: number;
            retryOf: number | null;
            types: number[];
          }
        | {
            kind: 'readStream';
            stream: number;
            backwards: boolean;
            from: number | null;
            maxCount: number | null;
          }
        | { kind: 'readAll'; categories: number[]; types: number[] };
      const op: fc.Arbitrary<Op> = fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record({
            kind: fc.constant('append' as const),
            stream: fc.nat(3),
            expected: fc.oneof(
              fc.constantFrom(
                'any' as const,
                'no_stream' as const,
                'stream_exists' as const,
                'head' as const,
              ),
              fc.nat(4),
            ),
            count: fc.integer({ min: 1, max: 3 }),
            retryOf: fc.option(fc.nat(20), { nil: null }),
            types: fc.array(fc.nat(1), { minLength: 3, maxLength: 3 }),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant('readStream' as const),
            stream: fc.nat(3),
            backwards: fc.boolean(),
            from: fc.option(fc.nat(6), { nil: null }),
            maxCount: fc.option(fc.nat(5), { nil: null }),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant('readAll' as const),
            categories: fc.uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 }),
            types: fc.uniqueArray(fc.nat(1), { maxLength: 2 }),
          }),
        },
      );

      it('random appends and reads give exactly what the model says', async () => {
        let runs = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
            runs += 1;
            const run = `m${String(runs)}x${newEventId()
              .slice(-6)
              .replace(/[^a-z0-9]/g, 'x')}`;
            const categories = [`${run}a`, `${run}b`, `${run}b-sub`];
            const streams = [`${run}a-1`, `${run}a-2`, `${run}b-1`, `${run}b-sub-1`];
            const typeNames = ['Alpha', 'Beta'];
            const model = new ReferenceModel();
            const appended: NewEvent[][] = [];
            for (const step of ops) {
              if (step.kind === 'append') {
                const stream = streams[step.stream] ?? '';
                const head = model.head(stream);
                const expected: ExpectedRevision =
                  step.expected === 'head' ? (head ?? 'no_stream') : step.expected;
                const retried =
                  step.retryOf === null
                    ? undefined
                    : appended[step.retryOf % Math.max(1, appended.length)];
                const events =
                  retried ??
                  Array.from({ length: step.count }, (_, index) =>
                    testEvent(typeNames[step.types[index] ?? 0] ?? 'Alpha'),
                  );
                appended.push(events);
                const expectedOutcome = model.append(stream, expected, events);
                const actual: ModelOutcome = await store
                  .append(stream, events, { expectedRevision: expected })
                  .then(
                    (result) => ({
                      ok: true as const,
                      revision: result.revision,
                      replayed: result.replayed,
                    }),
                    (error: unknown) => {
                      if (!(error instanceof EventStoreError)) throw error;
                      return error instanceof WrongExpectedRevisionError
                        ? { ok: false as const, code: error.code, actual: error.actual }
                        : { ok: false as const, code: error.code };
                    },
                  );
                expect(actual).toEqual(expectedOutcome);
              } else if (step.kind === 'readStream') {
                const stream = streams[step.stream] ?? '';
                const direction = step.backwards ? 'backwards' : 'forwards';
                const read = await collect(
                  store.readStream(stream, {
                    direction,
                    ...(step.from === null ? {} : { from: step.from }),
                    ...(step.maxCount === null ? {} : { maxCount: step.maxCount }),
                  }),
                );
                expect(ids(read)).toEqual(
                  model.readStream(
                    stream,
                    direction,
                    step.from ?? undefined,
                    step.maxCount ?? undefined,
                  ),
                );
              } else {
                const filter = {
                  categories: step.categories.map((index) => categories[index] ?? ''),
                  ...(step.types.length > 0
                    ? { eventTypes: step.types.map((index) => typeNames[index] ?? '') }
                    : {}),
                };
                expect(ids(await collect(store.readAll({ filter })))).toEqual(
                  model.readAll(filter),
                );
              }
            }
            for (const stream of streams) {
              const verified = await store.verifyStream(stream);
              expect(verified.ok).toBe(true);
            }
          }),
          { numRuns: options.propertyRuns ?? 50 },
        );
      });
    });
  });
}
