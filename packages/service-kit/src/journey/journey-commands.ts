import { readableCategories, type Category } from '@waypoint/contracts';
import { DomainError, handleCommand, type Decider, type EventCodec } from '@waypoint/decider';
import type { EventStore, JsonObject, RecordedEvent } from '@waypoint/eventstore';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/authenticator.js';
import { accessRecordOf, recordAccess } from '../http/access-records.js';
import { commandContext } from '../http/command-http.js';

/** Where a journey command or read happens: the journey, who acts, and when. */
export interface JourneyScene<Journey> {
  readonly journey: Journey;
  readonly principal: Principal;
  readonly now: Date;
}

/** What a read reveals from: the journey's stream and the categories the caller may read. */
export interface JourneyRead<Journey> extends JourneyScene<Journey> {
  readonly events: readonly RecordedEvent[];
  readonly allowed: ReadonlySet<Category>;
}

/**
 * Who sees and who changes a journey: journey-facts' `journeyGate(deps.journeys)`. (A port, so
 * that the kit does not depend on journey-facts.)
 */
export interface JourneyGatePort<Journey> {
  visible(viewer: Principal, journeyId: string, at: Date): Promise<Journey | undefined>;
  assertWorksOn(journey: Journey, viewer: Principal, at: Date): void;
}

export interface JourneyCommandsOptions<
  Journey,
  Command,
  Event extends { readonly type: string },
  State,
> {
  readonly store: EventStore;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly gate: JourneyGatePort<Journey>;
  /** The service's stream of a journey. */
  readonly stream: (journeyId: string) => string;
  /** The service's access stream of a journey, where every read of it is recorded. */
  readonly accessStream: (journeyId: string) => string;
  readonly decider: Decider<Command, Event, State>;
  readonly codec: EventCodec<Event>;
  /**
   * Encrypts an event's personal fields under the journey's person: privacy's `sealEvent` with
   * the service's family and cipher. `amendedType` is the type of the event an amendment amends.
   */
  readonly seal: (
    event: { type: string; data: JsonObject },
    eventId: string,
    journey: Journey,
    amendedType: string | undefined,
  ) => Promise<JsonObject>;
}

export interface JourneyCommands<Journey, Command> {
  /** The journey, if the caller may see it now; else JOURNEY_NOT_FOUND (404, never 403). */
  visibleJourney(principal: Principal, journeyId: string): Promise<Journey>;
  /**
   * Runs the command `build` makes on a journey the caller works on, sealing its events;
   * answers the stream's new revision.
   */
  execute(
    request: FastifyRequest,
    journeyId: string,
    build: (scene: JourneyScene<Journey>) => Command | Promise<Command>,
  ): Promise<number>;
  /**
   * Reads the service's stream of a journey the caller sees, has `reveal` fold and reveal it
   * (privacy's `revealSealed` with `allowed`), and records the read, with the categories
   * revealed, before anything is answered. The revision is the stream's, undefined while empty.
   */
  read<Value>(
    request: FastifyRequest,
    journeyId: string,
    route: string,
    reveal: (
      read: JourneyRead<Journey>,
    ) => Promise<{ readonly value: Value; readonly categories: Iterable<Category> }>,
  ): Promise<{ value: Value; revision: number | undefined }>;
}

const journeyNotFound = (): DomainError =>
  new DomainError('JOURNEY_NOT_FOUND', 'No such journey', 'not_found');

/** The command and read plumbing every service that keeps a stream per journey shares. */
export function journeyCommands<Journey, Command, Event extends { readonly type: string }, State>(
  options: JourneyCommandsOptions<Journey, Command, Event, State>,
): JourneyCommands<Journey, Command> {
  const { store, gate } = options;

  const visibleAt = async (principal: Principal, journeyId: string, now: Date) => {
    const journey = await gate.visible(principal, journeyId, now);
    if (journey === undefined) throw journeyNotFound();
    return journey;
  };

  return {
    visibleJourney: (principal, journeyId) => visibleAt(principal, journeyId, options.now()),

    async execute(request, journeyId, build) {
      const principal = request.principal;
      const now = options.now();
      const journey = await visibleAt(principal, journeyId, now);
      gate.assertWorksOn(journey, principal, now);
      const outcome = await handleCommand({
        store,
        stream: options.stream(journeyId),
        decider: options.decider,
        codec: options.codec,
        command: await build({ journey, principal, now }),
        context: commandContext(request, now),
        newEventId: options.newId,
        seal: (event, eventId, _state, amendedType) =>
          options.seal(event, eventId, journey, amendedType),
      });
      // Nothing appended to a stream that does not exist: there is no such journey here.
      if (outcome.revision === null) throw journeyNotFound();
      return outcome.revision;
    },

    async read(request, journeyId, route, reveal) {
      const principal = request.principal;
      const now = options.now();
      const journey = await visibleAt(principal, journeyId, now);
      const events: RecordedEvent[] = [];
      for await (const event of store.readStream(options.stream(journeyId))) events.push(event);
      const allowed = readableCategories(principal.roles);
      const revealed = await reveal({ journey, principal, now, events, allowed });
      await recordAccess(
        store,
        options.accessStream(journeyId),
        accessRecordOf(request, { kind: 'journey', id: journeyId }, revealed.categories, route),
        options.newId,
        now,
      );
      return { value: revealed.value, revision: events[events.length - 1]?.revision };
    },
  };
}
