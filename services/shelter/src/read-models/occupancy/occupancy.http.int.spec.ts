import { collect } from '@waypoint/eventstore/contract';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { createPgliteDatabase, type SqlDatabase } from '@waypoint/projections';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from '../../testing/test-app.js';
import { readModelApp, type ReadModelApp } from '../testing/read-model-app.js';
import { SHELTER_OCCUPANCY_LIST_PATH } from './occupancy-routes.js';

interface Occupancy {
  shelterId: string;
  name: string;
  capacity: number;
  occupied: number;
  free: number;
  admissions: number;
  transfersIn: number;
  transfersOut: number;
  exits: number;
  placements?: { journeyId: string; placementId: string; since: string }[];
}

describe('shelter occupancy over HTTP, from the read model', () => {
  let db: SqlDatabase;
  let writer: TestWorld;
  let reader: ReadModelApp;
  beforeAll(async () => {
    db = await createPgliteDatabase();
    const store = new MemoryEventStore();
    writer = await testWorld({ store });
    reader = await readModelApp(store, db);
  });
  afterAll(async () => {
    await reader.close();
    await writer.close();
    await db.close();
  });

  const write = () => http(writer.app);
  const read = () => http(reader.app);

  async function registerShelter(name: string, capacity: number): Promise<string> {
    const registered = await write()
      .post('/shelters', {
        name,
        type: 'emergency',
        capacity,
        childOnly: false,
        adultsOnly: false,
        secure: false,
        country: 'NL',
        address: { line1: 'Quay 7', city: 'Harbourtown' },
      })
      .as(await writer.token(['supervisor'], ORGS.shelter))
      .expect(201);
    return (registered.body as { shelterId: string }).shelterId;
  }

  async function staff(): Promise<string> {
    return writer.token(['shelter_staff'], ORGS.outreach);
  }

  async function admit(journeyId: string, shelterId: string): Promise<void> {
    await write()
      .post(`/journeys/${journeyId}/shelter/admissions`, { shelterId })
      .as(await staff())
      .expect(201);
  }

  async function transfer(journeyId: string, shelterId: string): Promise<void> {
    await write()
      .post(`/journeys/${journeyId}/shelter/transfers`, { shelterId, reason: 'safety' })
      .as(await staff())
      .expect(201);
  }

  /** Two fresh shelters; three journeys: one stays, one moves from the first to the second, one leaves. */
  async function placements() {
    const harbour = await registerShelter(`Harbour ${v7()}`, 3);
    const garden = await registerShelter(`Garden ${v7()}`, 2);
    const stays = (await writer.seedJourney()).journeyId;
    const moves = (await writer.seedJourney()).journeyId;
    const leaves = (await writer.seedJourney()).journeyId;
    await admit(stays, harbour);
    await admit(moves, harbour);
    await transfer(moves, garden);
    await admit(leaves, garden);
    await write()
      .post(`/journeys/${leaves}/shelter/exits`, { reason: 'moved_to_independent_housing' })
      .as(await staff())
      .expect(201);
    await reader.caughtUp();
    return { harbour, garden, stays, moves, leaves };
  }

  it('lists every shelter with its places taken and free, and its admissions, transfers and exits', async () => {
    const { harbour, garden } = await placements();
    const response = await read()
      .get(SHELTER_OCCUPANCY_LIST_PATH)
      .as(await reader.token(['caseworker'], ORGS.outreach))
      .expect(200);
    const shelters = (response.body as { shelters: Occupancy[] }).shelters;
    expect(shelters.find((shelter) => shelter.shelterId === harbour)).toMatchObject({
      capacity: 3,
      occupied: 1,
      free: 2,
      admissions: 2,
      transfersIn: 0,
      transfersOut: 1,
      exits: 0,
    });
    expect(shelters.find((shelter) => shelter.shelterId === garden)).toMatchObject({
      capacity: 2,
      occupied: 1,
      free: 1,
      admissions: 1,
      transfersIn: 1,
      transfersOut: 0,
      exits: 1,
    });
  });

  it("shows a shelter's open placements only for the journeys the caller's organisation sees", async () => {
    const { garden, moves } = await placements();
    const mine = await read()
      .get(`/shelters/${garden}/occupancy`)
      .as(await reader.token(['shelter_staff'], ORGS.outreach))
      .expect(200);
    expect(mine.body).toMatchObject({ shelterId: garden, occupied: 1, free: 1 });
    expect((mine.body as Occupancy).placements?.map((p) => p.journeyId)).toEqual([moves]);

    const theirs = await read()
      .get(`/shelters/${garden}/occupancy`)
      .as(await reader.token(['shelter_staff'], ORGS.unrelated))
      .expect(200);
    expect(theirs.body).toMatchObject({ occupied: 1, placements: [] });
  });

  it('answers 404 for a shelter it does not know, and 403 to roles that do not place people', async () => {
    await read()
      .get(`/shelters/${v7()}/occupancy`)
      .as(await reader.token(['supervisor'], ORGS.outreach))
      .expectProblem(404, 'SHELTER_NOT_FOUND');
    for (const url of [SHELTER_OCCUPANCY_LIST_PATH, `/shelters/${v7()}/occupancy`])
      await read()
        .get(url)
        .as(await reader.token(['legal_advisor'], ORGS.outreach))
        .expectProblem(403, 'FORBIDDEN');
  });

  it('puts the person back where they were when a transfer is retracted', async () => {
    const { harbour, garden, moves } = await placements();
    const events = await collect(writer.store.readStream(`shelter-${moves}`));
    const transferred = events.find((event) => event.type === 'ShelterTransferred');
    await write()
      .post(`/journeys/${moves}/shelter/retractions`, {
        retractedEventId: transferred?.id,
        reasonCode: 'recorded-in-error',
      })
      .as(await staff())
      .expect(201);
    await reader.caughtUp();
    const token = await reader.token(['shelter_staff'], ORGS.outreach);
    const back = await read().get(`/shelters/${harbour}/occupancy`).as(token).expect(200);
    expect(back.body).toMatchObject({ occupied: 2, transfersOut: 0 });
    expect((back.body as Occupancy).placements?.map((p) => p.journeyId)).toContain(moves);
    const left = await read().get(`/shelters/${garden}/occupancy`).as(token).expect(200);
    expect(left.body).toMatchObject({ occupied: 0, transfersIn: 0, placements: [] });
  });
});
