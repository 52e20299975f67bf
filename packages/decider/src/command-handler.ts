import {
  WrongExpectedRevisionError,
  type EventMetadataInput,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
} from '@waypoint/eventstore';
import type { Decider } from './decider.js';
import { DomainError } from './domain-error.js';

/** How a service's domain events are stored and read back (schema versions, upcasting). */
export interface EventCodec<Event> {
  encode(event: Event): {
    type: string;
    schemaVersion: number;
    data: JsonObject;
    occurredAt?: string;
  };
  /** Lifts an event of any stored version to the current domain shape. */
  decode(event: RecordedEvent): Event;
}

/** Who is acting, on what basis, and when: everything the envelope needs besides the event. */
export interface CommandContext {
  readonly actor: EventMetadataInput['actor'];
  readonly correlationId: string;
  readonly causationId: string;
  /** When the command was received: the default occurredAt of its events. */
  readonly now: Date;
  readonly legalBasis?: string;
  readonly traceparent?: string;
  /** From If-Match: the revision the client based its command on. No retry when it is set. */
  readonly expectedRevision?: number;
  /** Told the ids of the events once they are stored (a command answer names them). */
  readonly appended?: (eventIds: readonly string[]) => void;
}

export interface HandleCommandOptions<Command, Event extends { readonly type: string }, State> {
  readonly store: EventStore;
  readonly stream: string;
  readonly decider: Decider<Command, Event, State>;
  readonly codec: EventCodec<Event>;
  readonly command: Command;
  readonly context: CommandContext;
  readonly newEventId: () => string;
  /** How often to re-read and decide again when another writer got there first. */
  readonly maxAttempts?: number;
  /**
   * Encrypts an event's personal fields once its id is known (the id is part of the associated
   * data), so that the decider stays pure and the store only ever sees ciphertext. An amendment's
   * replacement is sealed like the event it amends: `amendedType` names that event's type.
   */
  readonly seal?: (
    event: { type: string; data: JsonObject },
    eventId: string,
    state: State,
    amendedType: string | undefined,
  ) => Promise<JsonObject>;
}

export interface CommandResult<Event, State> {
  /** The new events, as the domain sees them (empty when the command changed nothing). */
  readonly events: Event[];
  readonly state: State;
  /** The stream's revision after the command; null when the stream still does not exist. */
  readonly revision: number | null;
  /** The ids of the events appended, in order (empty when the command changed nothing). */
  readonly eventIds: readonly string[];
}

export async function readState<Event, State>(
  store: EventStore,
  stream: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  codec: EventCodec<Event>,
): Promise<{ state: State; revision: number | null }> {
  return foldStream(store, stream, decider, codec, () => undefined);
}

/** Folds a stream, telling `seen` each event with its id. */
async function foldStream<Event, State>(
  store: EventStore,
  stream: string,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  codec: EventCodec<Event>,
  seen: (eventId: string, event: Event) => void,
): Promise<{ state: State; revision: number | null }> {
  let state = decider.initialState();
  let revision: number | null = null;
  for await (const recorded of store.readStream(stream)) {
    const event = codec.decode(recorded);
    seen(recorded.id, event);
    state = decider.evolve(state, event);
    revision = recorded.revision;
  }
  return { state, revision };
}

/** The type of the event an EventAmended amends, from the types of the events read. */
function amendedTypeOf(
  event: { type: string; data: JsonObject },
  typeOf: ReadonlyMap<string, string>,
): string | undefined {
  if (event.type !== 'EventAmended') return undefined;
  const { amendedEventId } = event.data;
  return typeof amendedEventId === 'string' ? typeOf.get(amendedEventId) : undefined;
}

/**
 * Read, fold, decide, append with the expected revision. When another writer appended meanwhile,
 * read again and decide again (the decision may now differ), unless the client pinned the revision
 * with If-Match: then the conflict is theirs to resolve.
 */
export async function handleCommand<Command, Event extends { readonly type: string }, State>(
  options: HandleCommandOptions<Command, Event, State>,
): Promise<CommandResult<Event, State>> {
  const { store, stream, decider, codec, command, context } = options;
  const maxAttempts = context.expectedRevision === undefined ? (options.maxAttempts ?? 3) : 1;
  for (let attempt = 1; ; attempt += 1) {
    // Only sealing needs the types of the events read (to seal an amendment like its target).
    const typeOf = new Map<string, string>();
    const { state, revision } = await foldStream(
      store,
      stream,
      decider,
      codec,
      options.seal ? (eventId, event) => typeOf.set(eventId, event.type) : () => undefined,
    );
    if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
      throw new WrongExpectedRevisionError(
        stream,
        context.expectedRevision,
        revision ?? 'no_stream',
      );
    }
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, state, revision, eventIds: [] };
    const stored: NewEvent[] = await Promise.all(
      events.map(async (event) => {
        const { occurredAt, ...encoded } = codec.encode(event);
        const id = options.newEventId();
        const data = options.seal
          ? await options.seal(encoded, id, state, amendedTypeOf(encoded, typeOf))
          : encoded.data;
        return {
          id,
          ...encoded,
          data,
          metadata: {
            occurredAt: occurredAt ?? context.now.toISOString(),
            actor: context.actor,
            correlationId: context.correlationId,
            causationId: context.causationId,
            ...(context.legalBasis === undefined ? {} : { legalBasis: context.legalBasis }),
            ...(context.traceparent === undefined ? {} : { traceparent: context.traceparent }),
          },
        };
      }),
    );
    try {
      const result = await store.append(stream, stored, {
        expectedRevision: revision ?? 'no_stream',
      });
      const eventIds = stored.map((event) => event.id);
      context.appended?.(eventIds);
      return {
        events,
        state: events.reduce(decider.evolve, state),
        revision: result.revision,
        eventIds,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // The client pinned the revision (If-Match): the conflict is theirs to resolve (412).
      if (context.expectedRevision !== undefined) throw error;
      if (attempt >= maxAttempts) {
        throw new DomainError(
          'CONCURRENT_UPDATE',
          `${stream} kept changing while the command was decided; retry it`,
          'conflict',
        );
      }
    }
  }
}
