import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { newEventId as v7, type JsonObject } from '@waypoint/eventstore';
import { afterEach, describe, expect, it } from 'vitest';
import { historyToArray } from '@waypoint/decider';
import { journeyFactsView } from './journey-facts-view.js';

const org = '0193c000-0000-7000-8000-0000000000aa';
const metadata = {
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { userId: 'u', role: 'caseworker', orgId: org },
  correlationId: 'c',
  causationId: 'c',
};

function event(type: string, data: JsonObject) {
  return { id: v7(), type, schemaVersion: 1, data, metadata };
}

async function register(
  store: MemoryEventStore,
  personId: string,
  child: 'yes' | 'no' | 'unknown',
) {
  await store.append(`person-${personId}`, [
    event('PersonRegistered', {
      personId,
      identity: { alg: 'none' },
      blindIndexes: { name: 'x' },
      gender: 'Feminine',
      ageBand: '9-17',
      child,
      citizenship: ['NG'],
      languages: ['en'],
      registeredByOrgId: org,
    }),
  ]);
}

async function open(store: MemoryEventStore, personId: string): Promise<string> {
  const journeyId = v7();
  await store.append(`identification-${journeyId}`, [
    event('JourneyOpened', { journeyId, personId, jurisdiction: 'NL', openedByOrgId: org }),
  ]);
  return journeyId;
}

describe('the journey facts view: presumed a child', () => {
  const store = new MemoryEventStore();
  const view = journeyFactsView(store);
  afterEach(async () => {
    await view.stop();
  });

  it('counts a person the registry recorded as a child, from the opening of the journey', async () => {
    const child = v7();
    const adult = v7();
    await register(store, child, 'yes');
    await register(store, adult, 'no');
    const childJourney = await open(store, child);
    const adultJourney = await open(store, adult);
    const journeys = await view.current();
    expect(journeys.get(childJourney)?.presumedChild).toBe(true);
    expect(journeys.get(adultJourney)?.presumedChild).toBe(false);
  });

  it('counts the registration when it arrives after the journey (a replica fed out of order)', async () => {
    const child = v7();
    const journeyId = await open(store, child);
    expect((await view.current()).get(journeyId)?.presumedChild).toBe(false);
    await register(store, child, 'yes');
    expect((await view.current()).get(journeyId)?.presumedChild).toBe(true);
  });

  it("lets the journey's own age assessment decide over the registry", async () => {
    const child = v7();
    await register(store, child, 'yes');
    const journeyId = await open(store, child);
    await store.append(`identification-${journeyId}`, [
      event('AgeAssessed', { outcome: 'adult', method: 'documents' }),
    ]);
    expect((await view.current()).get(journeyId)?.presumedChild).toBe(false);
  });
});

describe('the journey facts view: what it keeps in memory', () => {
  const store = new MemoryEventStore();
  const view = journeyFactsView(store);
  afterEach(async () => {
    await view.stop();
  });

  it('keeps in a journey history only the events its facts come from, and the corrections', async () => {
    const journeyId = await open(store, v7());
    const consentId = v7();
    await store.append(`identification-${journeyId}`, [
      event('InformationProvided', { topic: 'rights', language: 'en', interpreterUsed: false }),
      event('ConsentRecorded', {
        consentId,
        givenBy: 'self',
        informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
        scope: 'anonymous_reporting',
        sharingWithOrgIds: [],
      }),
    ]);
    const journey = (await view.current()).get(journeyId);
    expect(historyToArray(journey?.history).map((entry) => entry.event.type)).toEqual([
      'JourneyOpened',
      'ConsentRecorded',
    ]);
    expect(journey?.consents.map((consent) => consent.scope)).toEqual(['anonymous_reporting']);
  });

  it('still undoes a retracted fact, and ignores the retraction of an event it did not keep', async () => {
    const journeyId = await open(store, v7());
    const [information, consent] = [
      event('InformationProvided', { topic: 'rights', language: 'en', interpreterUsed: false }),
      event('ConsentRecorded', {
        consentId: v7(),
        givenBy: 'self',
        informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
        scope: 'services',
        sharingWithOrgIds: [],
      }),
    ];
    await store.append(`identification-${journeyId}`, [information, consent]);
    const retract = (eventId: string) =>
      event('EventRetracted', { retractedEventId: eventId, reasonCode: 'recorded-in-error' });
    await store.append(`identification-${journeyId}`, [retract(information.id)]);
    expect((await view.current()).get(journeyId)?.consents).toHaveLength(1);
    await store.append(`identification-${journeyId}`, [retract(consent.id)]);
    expect((await view.current()).get(journeyId)?.consents).toEqual([]);
  });
});
