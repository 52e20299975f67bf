import { InProcessBus, eventMessage, serviceTopic } from '@waypoint/bus';
import type { RecordedEvent } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@waypoint/service-kit';
import { distributedConfigSchema } from './config.js';
import { journeyFactsFromBus, mirrorJourneyEvents } from './journey-facts-from-bus.js';
import { topicsFor } from './topics.js';

const JOURNEY = '0193c000-0000-7000-8000-0000000000a1';
const ORG = '0193c000-0000-7000-8000-0000000000b1';

const env = {
  EVENT_STORE_URL: 'postgres://waypoint@db:5432/events',
  READ_MODEL_DATABASE_URL: 'postgres://waypoint@db:5432/waypoint',
  AUTH_JWKS_URL: 'https://id.example.org/jwks.json',
  AUTH_ISSUER: 'https://id.example.org/',
  AUTH_AUDIENCE: 'waypoint',
  MASTER_KEY_FILE: '/run/secrets/master_key',
};

function problemKeys(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.key);
    throw error;
  }
  return [];
}

describe('the distributed configuration', () => {
  it('reads the brokers as a list and leaves Kafka off without them', () => {
    const schema = distributedConfigSchema({});
    expect(loadConfig(schema, env).KAFKA_BROKERS).toBeUndefined();
    expect(
      loadConfig(schema, { ...env, KAFKA_BROKERS: 'k1:9092, k2:9092,' }).KAFKA_BROKERS,
    ).toEqual(['k1:9092', 'k2:9092']);
  });

  it('wants exactly one of each secret and its file, and of the token key sources', () => {
    const schema = distributedConfigSchema({}, [['BLIND_INDEX_KEY', 'BLIND_INDEX_KEY_FILE']]);
    expect(
      problemKeys(() =>
        loadConfig(schema, {
          ...env,
          MASTER_KEY: 'k:AAAA',
          AUTH_PUBLIC_JWK: '{"kty":"EC"}',
        }),
      ).sort(),
    ).toEqual(['AUTH_JWKS_URL', 'BLIND_INDEX_KEY', 'MASTER_KEY']);
  });

  it('refuses a store URL it cannot open and a password inside no URL', () => {
    const schema = distributedConfigSchema({});
    expect(
      problemKeys(() => loadConfig(schema, { ...env, EVENT_STORE_URL: 'mysql://x/y' })),
    ).toEqual(['EVENT_STORE_URL']);
    expect(
      loadConfig(schema, { ...env, EVENT_STORE_URL: 'esdb+discover://a:2113,b:2113?tls=false' })
        .EVENT_STORE_URL,
    ).toBe('esdb+discover://a:2113,b:2113?tls=false');
  });
});

describe('the topics a read model needs', () => {
  it('are those of the services writing the categories its filter names', () => {
    expect(topicsFor({ categories: ['identification', 'person', 'legal'] })).toEqual([
      serviceTopic('identification'),
      serviceTopic('legal'),
    ]);
  });

  it('are the topics of every service that records reads, for `access`', () => {
    expect(topicsFor({ categories: ['access'] })).toEqual(
      ['identification', 'shelter', 'care', 'legal', 'reintegration', 'journey', 'audit'].map(
        serviceTopic,
      ),
    );
  });
});

const metadata = {
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { userId: 'u', role: 'caseworker', orgId: ORG },
  correlationId: 'c',
  causationId: 'c',
};

/** The identification service's events as its store records them. */
async function identificationEvents(): Promise<RecordedEvent[]> {
  const source = new MemoryEventStore();
  await source.append(`identification-${JOURNEY}`, [
    {
      id: '0193c000-0000-7000-8000-000000000101',
      type: 'JourneyOpened',
      schemaVersion: 1,
      data: {
        journeyId: JOURNEY,
        personId: '0193c000-0000-7000-8000-0000000000c1',
        jurisdiction: 'NL',
        openedByOrgId: ORG,
      },
      metadata,
    },
    {
      id: '0193c000-0000-7000-8000-000000000102',
      type: 'ConsentRecorded',
      schemaVersion: 1,
      data: {
        consentId: '0193c000-0000-7000-8000-0000000000d1',
        scope: 'services',
        givenBy: 'self',
        informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
        sharingWithOrgIds: [],
      },
      metadata,
    },
  ]);
  const events: RecordedEvent[] = [];
  for await (const event of source.readAll()) events.push(event);
  await source.close();
  return events;
}

describe('journey facts fed from Kafka', () => {
  it('folds the journey events the topic delivers, once each however often they come', async () => {
    const bus = new InProcessBus();
    const facts = await journeyFactsFromBus(bus, { groupId: 'spec-facts' });
    try {
      const events = await identificationEvents();
      const topic = serviceTopic('identification');
      await bus.publish([...events, ...events].map((event) => eventMessage(topic, event)));
      while (facts.consumer.status().consumed < 4)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const journey = (await facts.view.current()).get(JOURNEY);
      expect(journey?.openedByOrgId).toBe(ORG);
      expect(journey?.consents.map((consent) => consent.scope)).toEqual(['services']);
      expect(facts.consumer.status()).toMatchObject({ healthy: true, deadLettered: 0 });
    } finally {
      await facts.stop();
      await bus.close();
    }
  });

  it('refuses a journey event that skips one of its stream, instead of folding a wrong state', async () => {
    const [, consent] = await identificationEvents();
    const replica = new MemoryEventStore();
    await expect(mirrorJourneyEvents(replica, consent ? [consent] : [])).rejects.toThrow(
      /revision/i,
    );
    await replica.close();
  });
});

describe('the directory and the person registry fed from Kafka', () => {
  const PERSON = '0193c000-0000-7000-8000-0000000000c1';

  /** The registry and directory events the identification topic carries besides the journeys. */
  async function registryEvents(): Promise<RecordedEvent[]> {
    const source = new MemoryEventStore();
    await source.append(`organisation-${ORG}`, [
      {
        id: '0193c000-0000-7000-8000-000000000201',
        type: 'OrganisationRegistered',
        schemaVersion: 1,
        data: {
          orgId: ORG,
          name: 'Outreach',
          type: 'NGO',
          country: 'NL',
          acceptsReferrals: true,
          services: [],
        },
        metadata,
      },
    ]);
    await source.append(`person-${PERSON}`, [
      {
        id: '0193c000-0000-7000-8000-000000000202',
        type: 'PersonRegistered',
        schemaVersion: 1,
        data: {
          personId: PERSON,
          identity: { $enc: 'aes-256-gcm/v1', subject: PERSON, category: 'identity' },
          blindIndexes: { name: 'bi' },
          gender: 'Feminine',
          ageBand: '9-17',
          child: 'yes',
          citizenship: ['NG'],
          languages: ['en'],
          registeredByOrgId: ORG,
        },
        metadata,
      },
    ]);
    const events: RecordedEvent[] = [];
    for await (const event of source.readAll()) events.push(event);
    await source.close();
    return events;
  }

  it('knows the organisations and the children the registry recorded, whatever order they come in', async () => {
    const bus = new InProcessBus();
    const facts = await journeyFactsFromBus(bus, { groupId: 'spec-registry' });
    try {
      const topic = serviceTopic('identification');
      const events = [...(await identificationEvents()), ...(await registryEvents())];
      await bus.publish(events.map((event) => eventMessage(topic, event)));
      while (facts.consumer.status().consumed < events.length)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await facts.organisations.current()).has(ORG)).toBe(true);
      expect((await facts.view.current()).get(JOURNEY)?.presumedChild).toBe(true);
    } finally {
      await facts.stop();
      await bus.close();
    }
  });

  it('copies only the directory for a service that needs no journey facts', async () => {
    const bus = new InProcessBus();
    const facts = await journeyFactsFromBus(bus, { groupId: 'spec-directory', journeys: false });
    try {
      const topic = serviceTopic('identification');
      const events = [...(await identificationEvents()), ...(await registryEvents())];
      await bus.publish(events.map((event) => eventMessage(topic, event)));
      while (facts.consumer.status().consumed < events.length)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await facts.organisations.current()).has(ORG)).toBe(true);
      expect((await facts.view.current()).size).toBe(0);
    } finally {
      await facts.stop();
      await bus.close();
    }
  });
});
