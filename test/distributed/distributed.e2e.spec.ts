import { journeyFactsProjection, sqlFactsSource } from '@waypoint/analytics-service';
import { REQUIRE_SERVICES } from '@waypoint/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { day, eventually, SERVICES, startCluster, type Cluster } from './support.js';

const { postgresAdminUrl, kafkaBrokers } = inject('services');

if (REQUIRE_SERVICES && (!postgresAdminUrl || !kafkaBrokers))
  throw new Error('WAYPOINT_REQUIRE_SERVICES=1: the distributed suite needs PostgreSQL and Kafka');

describe.skipIf(!postgresAdminUrl || !kafkaBrokers)(
  'the distributed mode: every service on its own, each with its own database, joined by Kafka',
  () => {
    let started: Cluster | undefined;
    const cluster = (): Cluster => {
      if (!started) throw new Error('the services did not start');
      return started;
    };
    const service: Cluster['service'] = (name) => cluster().service(name);
    const call: Cluster['call'] = (...args) => cluster().call(...args);
    const created: Cluster['created'] = (...args) => cluster().created(...args);

    beforeAll(async () => {
      if (!postgresAdminUrl || !kafkaBrokers) return;
      started = await startCluster({ postgresAdminUrl, kafkaBrokers });
    }, 600_000); // may wait for the connections another cluster holds (docs/testing.md)

    afterAll(async () => {
      await started?.close();
    }, 60_000);

    it('is ready once its store, key store, brokers, relay and consumers are', async () => {
      // Consumers join their groups after the service answers: readiness waits for them.
      for (const name of SERVICES) {
        await eventually(async () => {
          const ready = await fetch(`${cluster().address(name)}/ready`);
          expect(ready.status, `${name}: ${await ready.text()}`).toBe(200);
        });
      }
    });

    it('carries a journey from the write services, through Kafka, to the journey, audit and analytics read models', async () => {
      // Identification: a person (a non-national), a journey, reasonable grounds, consent to services.
      const { personId } = await created('identification', '/persons', {
        identity: { givenName: 'Synthetic', familyName: 'Person', birthDate: '1994-09-17' },
        gender: 'Feminine',
        ageBand: '30-38',
        child: 'no',
        citizenship: ['NG'],
        languages: ['en'],
      });
      const { journeyId } = await created('identification', '/journeys', {
        personId,
        jurisdiction: 'NL',
      });
      const journey = String(journeyId);
      await created('identification', `/journeys/${journey}/reasonable-grounds`, {
        outcome: 'positive',
        decidingBody: { type: 'NGO', name: 'Synthetic Outreach' },
        reasonCodes: ['indicators_present'],
        rationale: 'Synthetic rationale text',
        legalBasis: 'CoE Convention Art. 10(2)',
      });
      const consentId = v7();
      await created('identification', `/journeys/${journey}/consents`, {
        consentId,
        scope: 'services',
        givenBy: 'self',
        informedOf: ['purpose', 'use_of_data', 'how_to_withdraw'],
      });

      // The shelter's and the legal service's stores never hold the identification events: what
      // they know of the journey came over waypoint.identification.v1.
      for (const name of ['shelter', 'legal'] as const) {
        const facts = service(name).journeyFacts;
        expect(facts, `${name} reads the journey facts from Kafka`).toBeDefined();
        await eventually(async () => {
          const known = (await facts?.view.current())?.get(journey);
          expect(known?.consents.map((consent) => consent.consentId)).toEqual([consentId]);
        });
        expect(await service(name).store.streamRevision(`identification-${journey}`)).toBeNull();
      }

      // Shelter: admitted on the consent recorded in another service's database.
      const { shelterId } = await created(
        'shelter',
        '/shelters',
        {
          name: 'Synthetic Shelter',
          type: 'emergency',
          capacity: 10,
          childOnly: false,
          adultsOnly: false,
          secure: false,
          country: 'NL',
          address: { line1: 'Synthetic quay 1', postalCode: '1000 AA', city: 'Harbourtown' },
        },
        ['supervisor'],
      );
      await created('shelter', `/journeys/${journey}/shelter/admissions`, { shelterId });

      // Legal: a reflection period of 20 days, short of the 30 the law requires (RR-01).
      await created('legal', `/journeys/${journey}/legal/reflection-periods`, {
        actingBody: { type: 'ImmigrationAuthority', name: 'Immigration Service (synthetic)' },
        occurredOn: day(0),
        start: day(0),
        end: day(20),
      });

      // Journey: the timeline and the summary, built from the three services' topics.
      const timeline = await eventually(async () => {
        const response = await call('journey', 'GET', `/journeys/${journey}/timeline`, [
          'caseworker',
        ]);
        expect(response.status).toBe(200);
        const types = (response.body.entries as { type: string }[]).map((entry) => entry.type);
        expect(types).toEqual(
          expect.arrayContaining([
            'JourneyOpened',
            'ConsentRecorded',
            'ShelterAdmitted',
            'RecoveryReflectionPeriodGranted',
          ]),
        );
        return response.body.entries as { type: string; service: string }[];
      });
      expect(new Set(timeline.map((entry) => entry.service))).toEqual(
        new Set(['identification', 'shelter', 'legal']),
      );
      const summary = await call('journey', 'GET', `/journeys/${journey}/summary`, ['caseworker']);
      expect(summary.status).toBe(200);
      expect(summary.body).toMatchObject({ journeyId: journey });

      // The journey service's own store holds none of it: only its access records.
      const journeyService = service('journey');
      for (const category of ['identification', 'shelter', 'legal'])
        expect(await journeyService.store.streamRevision(`${category}-${journey}`)).toBeNull();
      expect(await journeyService.store.streamRevision(`access-journey-${journey}`)).not.toBeNull();
      const consumed = (journeyService.projectionConsumers?.consumers ?? []).reduce(
        (sum, consumer) => sum + consumer.status().consumed,
        0,
      );
      expect(consumed).toBeGreaterThanOrEqual(4);

      // Audit: the short reflection period is a breach in its findings read model.
      const findings = await eventually(async () => {
        const response = await call('audit', 'GET', `/audit/findings?journeyId=${journey}`, [
          'supervisor',
        ]);
        expect(response.status).toBe(200);
        const list = response.body.findings as { ruleId: string; severity: string }[];
        expect(list.map((finding) => finding.ruleId)).toContain('RR-01');
        return list;
      });
      expect(findings.find((finding) => finding.ruleId === 'RR-01')?.severity).toBe('breach');

      // Analytics: the journey's facts row, from the same topics.
      const analytics = service('analytics').readModels;
      await eventually(async () => {
        if (!analytics) throw new Error('analytics has no read models');
        const facts = sqlFactsSource(analytics.db, () =>
          analytics.schemaOf(journeyFactsProjection.name),
        );
        const rows = await facts.load({ consentedOnly: false });
        expect(rows.map((row) => row.journeyId)).toContain(journey);
      });

      // The relays moved every event of the three services to their topics.
      for (const name of ['identification', 'shelter', 'legal'] as const) {
        const status = service(name).relay?.status();
        expect(status?.healthy, name).toBe(true);
        expect(status?.eventsRelayed ?? 0, name).toBeGreaterThan(0);
      }
    });
  },
);
