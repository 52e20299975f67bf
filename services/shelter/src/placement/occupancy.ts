import { shelterFamily } from '@waypoint/contracts';
import { LiveView, type EventStore } from '@waypoint/eventstore';
import { evolve } from './domain/evolve.js';
import { initialState, type PlacementState } from './domain/state.js';
import { categories, idOf } from '../streams.js';

export interface Occupancy {
  /** The shelter each journey is placed in now. */
  readonly placedIn: Map<string, string>;
  /** The journeys placed in each shelter now. */
  readonly residents: Map<string, Set<string>>;
}

/** Open placements in a shelter, not counting `journeyId` (who is being placed). */
export function occupiedBy(occupancy: Occupancy, shelterId: string, journeyId?: string): number {
  const residents = occupancy.residents.get(shelterId);
  if (!residents) return 0;
  return residents.size - (journeyId !== undefined && residents.has(journeyId) ? 1 : 0);
}

/**
 * Who is placed where, over every journey's shelter stream: each journey folded with the
 * placement decider's own evolve, so retractions count here exactly as they do in decisions.
 */
export function occupancyView(store: EventStore): LiveView<Occupancy> {
  const states = new Map<string, PlacementState>();
  const model: Occupancy = { placedIn: new Map(), residents: new Map() };
  return new LiveView(store, { categories: [categories.journey] }, model, (occupancy, recorded) => {
    const journeyId = idOf(recorded.stream, categories.journey);
    const event = { ...shelterFamily.decode(recorded), eventId: recorded.id };
    const next = evolve(states.get(journeyId) ?? initialState(), event);
    states.set(journeyId, next);
    const before = occupancy.placedIn.get(journeyId);
    const after = next.status === 'placed' ? next.placement.shelterId : undefined;
    if (before === after) return;
    if (before !== undefined) {
      occupancy.residents.get(before)?.delete(journeyId);
      occupancy.placedIn.delete(journeyId);
    }
    if (after !== undefined) {
      occupancy.placedIn.set(journeyId, after);
      const residents = occupancy.residents.get(after) ?? new Set<string>();
      residents.add(journeyId);
      occupancy.residents.set(after, residents);
    }
  });
}
