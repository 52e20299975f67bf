import { shelterFamily, shelterRegistryFamily } from '@waypoint/contracts';
import type { EventStore, RecordedEvent } from '@waypoint/eventstore';
import { collect } from '@waypoint/eventstore/contract';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createPgliteDatabase, replay, type SqlDatabase } from '@waypoint/projections';
import { v7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shelterOccupancyProjection } from './occupancy-projection.js';

const ORG = '0193b000-0000-7000-8000-000000000002';
const sealed = {
  $enc: 'aes-256-gcm/v1',
  subject: 'shelter',
  category: 'location',
  path: 'address',
  iv: 'AAAAAAAAAAAAAAAA',
  ct: 'AA',
  tag: 'AAAAAAAAAAAAAAAAAAAAAA',
};

describe('the shelter occupancy read model', () => {
  let db: SqlDatabase;
  let store: EventStore;
  beforeAll(async () => {
    db = await createPgliteDatabase();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => {
    store = new MemoryEventStore();
  });

  const at = (day: number) => `2025-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;

  async function append(
    stream: string,
    family: typeof shelterFamily | typeof shelterRegistryFamily,
    events: readonly { type: string; data: Record<string, unknown>; day: number }[],
  ): Promise<string[]> {
    const ids = events.map(() => v7());
    await store.append(
      stream,
      events.map((event, index) => ({
        id: ids[index] ?? v7(),
        ...(family as typeof shelterFamily).encode({
          type: event.type,
          data: event.data,
        } as Parameters<typeof shelterFamily.encode>[0]),
        metadata: {
          occurredAt: at(event.day),
          actor: { userId: 'spec', role: 'shelter_staff', orgId: ORG },
          correlationId: 'spec',
          causationId: 'spec',
        },
      })),
    );
    return ids;
  }

  async function register(name: string, capacity: number): Promise<string> {
    const shelterId = v7();
    await append(`shelterregistry-${shelterId}`, shelterRegistryFamily, [
      {
        type: 'ShelterRegistered',
        data: {
          shelterId,
          operatorOrgId: ORG,
          name,
          type: 'short_stay',
          capacity,
          childOnly: false,
          adultsOnly: true,
          secure: false,
          country: 'NL',
          address: sealed,
        },
        day: 1,
      },
    ]);
    return shelterId;
  }

  const snapshot = (shelterId: string) => ({
    shelterId,
    operatorOrgId: ORG,
    shelterType: 'short_stay',
    secure: false,
    childOnly: false,
    adultsOnly: true,
  });
  const admitted = (placementId: string, shelterId: string, day: number) => ({
    type: 'ShelterAdmitted',
    data: {
      placementId,
      shelter: snapshot(shelterId),
      presumedChild: false,
      consentId: v7(),
      freedomOfMovementRestricted: false,
    },
    day,
  });
  const transferred = (from: string, fromShelterId: string, to: string, shelterId: string) => ({
    type: 'ShelterTransferred',
    data: {
      placementId: to,
      fromPlacementId: from,
      fromShelterId,
      shelter: snapshot(shelterId),
      reason: 'safety',
      presumedChild: false,
      freedomOfMovementRestricted: false,
    },
    day: 5,
  });
  const exited = (placementId: string, shelterId: string) => ({
    type: 'ShelterExited',
    data: { placementId, shelterId, reason: 'moved_to_independent_housing', details: sealed },
    day: 6,
  });

  async function rows(schema: string) {
    const shelters = await db.query(
      `SELECT name, capacity, occupied, admissions, transfers_in, transfers_out, exits, closed,
              last_movement_at FROM ${schema}.shelters ORDER BY name`,
    );
    const placements = await db.query(
      `SELECT journey_id, shelter_id, placement_id, since FROM ${schema}.placements ORDER BY journey_id`,
    );
    return { shelters: shelters.rows, placements: placements.rows };
  }

  const events = (): Promise<RecordedEvent[]> => collect(store.readAll());

  /** Replayed all at once and one event at a time: both must give these rows. */
  async function projected() {
    const all = await events();
    const whole = await rows(await replay(db, shelterOccupancyProjection(), all));
    const oneByOne = await rows(await replay(db, shelterOccupancyProjection(), all, 1));
    expect(oneByOne).toEqual(whole);
    return whole;
  }

  /** Two shelters and three journeys: one placed, one transferred, one gone. */
  async function placements() {
    const harbour = await register('Harbour House', 3);
    const garden = await register('Garden House', 2);
    await append(`shelterregistry-${harbour}`, shelterRegistryFamily, [
      { type: 'ShelterUpdated', data: { capacity: 4, address: sealed }, day: 2 },
    ]);
    const [stays, moves, leaves] = [v7(), v7(), v7()];
    const [p1, p2, p3, p4] = [v7(), v7(), v7(), v7()];
    const staysIds = await append(`shelter-${stays}`, shelterFamily, [admitted(p1, harbour, 3)]);
    const movesIds = await append(`shelter-${moves}`, shelterFamily, [
      admitted(p2, harbour, 3),
      transferred(p2, harbour, p3, garden),
    ]);
    const leavesIds = await append(`shelter-${leaves}`, shelterFamily, [
      admitted(p4, garden, 4),
      exited(p4, garden),
    ]);
    return { harbour, garden, stays, moves, leaves, p1, p3, p4, staysIds, movesIds, leavesIds };
  }

  it('counts places taken, admissions, transfers and exits per shelter, with capacity from the registry', async () => {
    const { harbour, garden, stays, moves, p1, p3 } = await placements();
    const { shelters, placements: open } = await projected();
    expect(shelters).toEqual([
      {
        name: 'Garden House',
        capacity: 2,
        occupied: 1,
        admissions: 1,
        transfers_in: 1,
        transfers_out: 0,
        exits: 1,
        closed: false,
        last_movement_at: new Date(at(6)),
      },
      {
        name: 'Harbour House',
        capacity: 4,
        occupied: 1,
        admissions: 2,
        transfers_in: 0,
        transfers_out: 1,
        exits: 0,
        closed: false,
        last_movement_at: new Date(at(5)),
      },
    ]);
    expect(open).toEqual(
      [
        { journey_id: stays, shelter_id: harbour, placement_id: p1, since: new Date(at(3)) },
        { journey_id: moves, shelter_id: garden, placement_id: p3, since: new Date(at(5)) },
      ].sort((a, b) => a.journey_id.localeCompare(b.journey_id)),
    );
  });

  it('keeps no personal value: neither the address nor the details of an exit', async () => {
    await placements();
    const schema = await replay(db, shelterOccupancyProjection(), await events());
    const { rows: facts } = await db.query(`SELECT data FROM ${schema}.facts`);
    const { rows: states } = await db.query(`SELECT state FROM ${schema}.states`);
    expect(JSON.stringify([facts, states])).not.toContain('aes-256-gcm');
  });

  it('honours retractions and amendments, recomputing the journeys they belong to', async () => {
    const { harbour, garden, stays, moves, leaves, movesIds, staysIds, leavesIds } =
      await placements();
    // The transfer was recorded in error; the admission was to the other shelter; the exit
    // never happened.
    await append(`shelter-${moves}`, shelterFamily, [
      {
        type: 'EventRetracted',
        data: { retractedEventId: movesIds[1], reasonCode: 'recorded-in-error' },
        day: 7,
      },
    ]);
    const amendedAdmission = admitted(v7(), garden, 3);
    await append(`shelter-${stays}`, shelterFamily, [
      {
        type: 'EventAmended',
        data: {
          amendedEventId: staysIds[0],
          reasonCode: 'data-entry-error',
          replacement: amendedAdmission.data,
        },
        day: 7,
      },
    ]);
    await append(`shelter-${leaves}`, shelterFamily, [
      {
        type: 'EventRetracted',
        data: { retractedEventId: leavesIds[1], reasonCode: 'recorded-in-error' },
        day: 7,
      },
    ]);
    const { shelters, placements: open } = await projected();
    expect(
      shelters.map((row) => [
        row['name'],
        row['occupied'],
        row['admissions'],
        row['transfers_in'],
        row['transfers_out'],
        row['exits'],
      ]),
    ).toEqual([
      ['Garden House', 2, 2, 0, 0, 0],
      ['Harbour House', 1, 1, 0, 0, 0],
    ]);
    expect(Object.fromEntries(open.map((row) => [row['journey_id'], row['shelter_id']]))).toEqual({
      [stays]: garden,
      [moves]: harbour,
      [leaves]: garden,
    });
  });

  it('changes nothing when a batch comes again', async () => {
    await placements();
    const all = await events();
    const projection = shelterOccupancyProjection();
    const schema = await replay(db, projection, all);
    const once = await rows(schema);
    await db.transaction((tx) => projection.apply(tx, all, schema));
    expect(await rows(schema)).toEqual(once);
  });

  it('shows a closed shelter as closed', async () => {
    const shelterId = await register('Closing House', 2);
    await append(`shelterregistry-${shelterId}`, shelterRegistryFamily, [
      { type: 'ShelterClosed', data: { reasonCode: 'permanently_closed' }, day: 9 },
    ]);
    const { shelters } = await projected();
    expect(shelters).toMatchObject([{ name: 'Closing House', closed: true, occupied: 0 }]);
  });
});
