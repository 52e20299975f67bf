import { WrongExpectedRevisionError, type JsonObject } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { collect } from '@waypoint/eventstore/contract';
import { v7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { handleCommand, type CommandContext, type EventCodec } from './command-handler.js';
import type { Decider } from './decider.js';
import { DomainError } from './domain-error.js';

type Event = { type: 'Counted'; data: { by: number } };
type Command = { type: 'Count'; by: number; max: number };
type State = { total: number };

const counter: Decider<Command, Event, State> = {
  decide: (command, state) => {
    if (state.total + command.by > command.max)
      throw new DomainError('LIMIT_REACHED', 'over the limit', 'precondition', 'by');
    return [{ type: 'Counted', data: { by: command.by } }];
  },
  evolve: (state, event) => ({ total: state.total + event.data.by }),
  initialState: () => ({ total: 0 }),
};
const codec: EventCodec<Event> = {
  encode: (event) => ({ type: event.type, schemaVersion: 1, data: event.data }),
  decode: (recorded) => ({ type: 'Counted', data: recorded.data as Event['data'] }),
};
const context: CommandContext = {
  actor: { userId: 'u', role: 'caseworker', orgId: 'o' },
  correlationId: 'c',
  causationId: 'd',
  now: new Date('2026-02-01T00:00:00.000Z'),
};
const run = (
  store: MemoryEventStore,
  command: Command,
  extra: Partial<Parameters<typeof handleCommand<Command, Event, State>>[0]> = {},
) =>
  handleCommand({
    store,
    stream: 'counter-1',
    decider: counter,
    codec,
    command,
    context,
    newEventId: v7,
    ...extra,
  });

describe('handleCommand', () => {
  it('folds, decides and appends with the envelope the context describes', async () => {
    const store = new MemoryEventStore();
    await run(store, { type: 'Count', by: 2, max: 10 });
    const result = await run(store, { type: 'Count', by: 3, max: 10 });
    expect(result).toMatchObject({ revision: 1, state: { total: 5 } });
    const [, second] = await collect(store.readStream('counter-1'));
    expect(second?.metadata).toMatchObject({
      occurredAt: '2026-02-01T00:00:00.000Z',
      actor: context.actor,
      correlationId: 'c',
    });
  });

  it('answers the ids of the events it appended, and tells the context', async () => {
    const store = new MemoryEventStore();
    const told: string[][] = [];
    const result = await run(
      store,
      { type: 'Count', by: 2, max: 10 },
      { context: { ...context, appended: (ids) => told.push([...ids]) } },
    );
    const stored = await collect(store.readStream('counter-1'));
    expect(result.eventIds).toEqual(stored.map((event) => event.id));
    expect(told).toEqual([stored.map((event) => event.id)]);
  });

  it('answers no ids when the command changed nothing', async () => {
    const store = new MemoryEventStore();
    const idle = { ...counter, decide: () => [] };
    const result = await run(store, { type: 'Count', by: 2, max: 10 }, { decider: idle });
    expect(result.eventIds).toEqual([]);
  });

  it('dates an event when the codec says it happened, else when the command was received', async () => {
    const store = new MemoryEventStore();
    const dated: EventCodec<Event> = {
      ...codec,
      encode: (event) => ({ ...codec.encode(event), occurredAt: '2026-01-20T08:00:00.000Z' }),
    };
    await run(store, { type: 'Count', by: 1, max: 10 }, { codec: dated });
    await run(store, { type: 'Count', by: 1, max: 10 });
    const [first, second] = await collect(store.readStream('counter-1'));
    expect(first?.metadata.occurredAt).toBe('2026-01-20T08:00:00.000Z');
    expect(second?.metadata.occurredAt).toBe('2026-02-01T00:00:00.000Z');
  });

  it('decides again on the new state when another writer got there first', async () => {
    const store = new MemoryEventStore();
    let raced = false;
    const racing = {
      ...counter,
      decide: (command: Command, state: State) => {
        if (!raced) {
          raced = true;
          // Another writer appends between our read and our append.
          const { now: _now, ...envelope } = context;
          void store.append('counter-1', [
            {
              id: v7(),
              type: 'Counted',
              schemaVersion: 1,
              data: { by: 9 },
              metadata: { ...envelope, occurredAt: context.now.toISOString() },
            },
          ]);
        }
        return counter.decide(command, state);
      },
    };
    await expect(
      run(store, { type: 'Count', by: 2, max: 10 }, { decider: racing }),
    ).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
  });

  it('with If-Match, a stale revision is a conflict, not a retry', async () => {
    const store = new MemoryEventStore();
    await run(store, { type: 'Count', by: 1, max: 10 });
    await expect(
      run(
        store,
        { type: 'Count', by: 1, max: 10 },
        { context: { ...context, expectedRevision: 5 } },
      ),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
  });

  it('seals each event with its id before it is stored', async () => {
    const store = new MemoryEventStore();
    await run(
      store,
      { type: 'Count', by: 1, max: 10 },
      { seal: (event, eventId) => Promise.resolve({ ...event.data, sealedWith: eventId }) },
    );
    const [stored] = await collect(store.readStream('counter-1'));
    expect(stored?.data.sealedWith).toBe(stored?.id);
  });

  it('tells the seal the type of the event an amendment amends', async () => {
    const store = new MemoryEventStore();
    await run(store, { type: 'Count', by: 1, max: 10 });
    const [counted] = await collect(store.readStream('counter-1'));
    const amending: Decider<Command, Event, State> = {
      ...counter,
      decide: () => [
        { type: 'EventAmended', data: { by: 0, amendedEventId: counted?.id } } as unknown as Event,
      ],
    };
    const told: (string | undefined)[] = [];
    const seal = (
      event: { type: string; data: JsonObject },
      _eventId: string,
      _state: State,
      amendedType: string | undefined,
    ) => {
      told.push(amendedType);
      return Promise.resolve(event.data);
    };
    await run(store, { type: 'Count', by: 1, max: 10 }, { seal });
    await run(store, { type: 'Count', by: 1, max: 10 }, { decider: amending, seal });
    expect(told).toEqual([undefined, 'Counted']);
  });
});

describe('handleCommand under steady contention', () => {
  it('gives up after its attempts with a conflict the client may retry', async () => {
    const store = new MemoryEventStore();
    const alwaysRaced = {
      ...counter,
      decide: (command: Command, state: State) => {
        const { now: _now, ...envelope } = context;
        void store.append('counter-1', [
          {
            id: v7(),
            type: 'Counted',
            schemaVersion: 1,
            data: { by: 0 },
            metadata: { ...envelope, occurredAt: context.now.toISOString() },
          },
        ]);
        return counter.decide(command, state);
      },
    };
    await expect(
      run(store, { type: 'Count', by: 1, max: 10 }, { decider: alwaysRaced }),
    ).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE', kind: 'conflict' });
  });
});
