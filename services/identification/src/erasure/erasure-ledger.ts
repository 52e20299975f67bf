import { erasureFamily, legalHoldFamily, personFamily } from '@waypoint/contracts';
import { LiveView, type EventStore, type RecordedEvent } from '@waypoint/eventstore';
import { erasureDecider } from './domain/erasure-request/erasure-decider.js';
import type { ErasureState } from './domain/erasure-request/state.js';
import { legalHoldDecider } from './domain/legal-hold/legal-hold-decider.js';
import type { LegalHoldState } from './domain/legal-hold/state.js';
import { erasureCategories, idOf } from './streams.js';

/**
 * What the erasure duties need across persons, kept in memory from the events: every request's
 * state (which ones wait for which service), each person's holds and journeys, and when each
 * journey closed. Codes and ids only: no personal value is ever kept here.
 */
export interface ErasureLedger {
  readonly requests: Map<string, ErasureState>;
  readonly requestsByPerson: Map<string, string[]>;
  readonly holds: Map<string, LegalHoldState>;
  readonly journeysByPerson: Map<string, string[]>;
  /** Journey to its closure: the event (a retraction names it) and when it occurred. */
  readonly closures: Map<string, { readonly eventId: string; readonly closedAt: string }>;
}

function apply(ledger: ErasureLedger, recorded: RecordedEvent): void {
  const category = recorded.stream.slice(0, recorded.stream.indexOf('-'));
  switch (category) {
    case erasureCategories.request: {
      const requestId = idOf(recorded.stream, category);
      const before = ledger.requests.get(requestId) ?? erasureDecider.initialState();
      const after = erasureDecider.evolve(before, erasureFamily.decode(recorded));
      ledger.requests.set(requestId, after);
      if (before.status === 'none' && after.status !== 'none') {
        const personId = after.request.personId;
        ledger.requestsByPerson.set(personId, [
          ...(ledger.requestsByPerson.get(personId) ?? []),
          requestId,
        ]);
      }
      return;
    }
    case erasureCategories.legalHolds: {
      const personId = idOf(recorded.stream, category);
      const before = ledger.holds.get(personId) ?? legalHoldDecider.initialState();
      ledger.holds.set(personId, legalHoldDecider.evolve(before, legalHoldFamily.decode(recorded)));
      return;
    }
    case erasureCategories.person: {
      const event = personFamily.decode(recorded);
      if (event.type !== 'PersonJourneyOpened') return;
      const personId = idOf(recorded.stream, category);
      ledger.journeysByPerson.set(personId, [
        ...(ledger.journeysByPerson.get(personId) ?? []),
        event.data.journeyId,
      ]);
      return;
    }
    case erasureCategories.closure: {
      const journeyId = idOf(recorded.stream, category);
      if (recorded.type === 'JourneyClosed') {
        ledger.closures.set(journeyId, {
          eventId: recorded.id,
          closedAt: recorded.metadata.occurredAt,
        });
      } else if (
        recorded.type === 'EventRetracted' &&
        recorded.data.retractedEventId === ledger.closures.get(journeyId)?.eventId
      ) {
        ledger.closures.delete(journeyId);
      }
      return;
    }
  }
}

export function erasureLedger(store: EventStore): LiveView<ErasureLedger> {
  const ledger: ErasureLedger = {
    requests: new Map(),
    requestsByPerson: new Map(),
    holds: new Map(),
    journeysByPerson: new Map(),
    closures: new Map(),
  };
  return new LiveView(
    store,
    {
      categories: [
        erasureCategories.request,
        erasureCategories.legalHolds,
        erasureCategories.person,
        erasureCategories.closure,
      ],
    },
    ledger,
    apply,
  );
}
