import { collect } from '@waypoint/eventstore/contract';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

const person = (familyName = 'Okafor') => ({
  identity: { givenName: 'Amara', familyName, birthDate: '1994-09-17' },
  gender: 'Feminine',
  ageBand: '30-38',
  child: 'no',
  citizenship: ['NG'],
  languages: ['en'],
});

describe('identification over HTTP', () => {
  let world: TestWorld;
  let caseworker: string;
  beforeEach(async () => {
    world = await testWorld();
    caseworker = await world.token(['caseworker']);
  });
  afterEach(async () => {
    await world.close();
  });

  async function openJourney(
    token = caseworker,
    familyName = `Okafor-${v7()}`,
  ): Promise<{ personId: string; journeyId: string }> {
    const registered = await http(world.app)
      .post('/persons', person(familyName))
      .as(token)
      .expect(201);
    const { personId } = registered.body as { personId: string };
    const opened = await http(world.app)
      .post('/journeys', { personId, jurisdiction: 'NL' })
      .as(token)
      .expect(201);
    return { personId, journeyId: (opened.body as { journeyId: string }).journeyId };
  }

  describe('the person registry', () => {
    it('registers a person with identity encrypted in the store, and refuses a likely duplicate', async () => {
      const registered = await http(world.app)
        .post('/persons', person())
        .as(caseworker)
        .expect(201);
      expect(registered.headers.etag).toBe('"0"');
      const stored = await collect(world.store.readAll({ filter: { categories: ['person'] } }));
      expect(JSON.stringify(stored)).not.toContain('Amara');
      expect(JSON.stringify(stored)).toContain('aes-256-gcm/v1');
      await http(world.app)
        .post('/persons', person())
        .as(caseworker)
        .expectProblem(409, 'PERSON_POSSIBLY_REGISTERED');
      await http(world.app)
        .post('/persons', { ...person(), confirmNotDuplicate: true })
        .as(caseworker)
        .expect(201);
    });

    it('finds a person by normalised name, and only for those who may see them', async () => {
      const { personId } = (
        await http(world.app).post('/persons', person('García')).as(caseworker).expect(201)
      ).body as { personId: string };
      const found = await http(world.app)
        .get('/persons?givenName=AMARA&familyName=garcia&birthDate=1994-09-17')
        .as(caseworker)
        .expect(200);
      expect(found.body).toEqual({ personIds: [personId] });
      const stranger = await world.token(['caseworker'], ORGS.unrelated);
      expect(
        (
          await http(world.app)
            .get('/persons?givenName=Amara&familyName=Garcia&birthDate=1994-09-17')
            .as(stranger)
            .expect(200)
        ).body,
      ).toEqual({ personIds: [] });
    });

    it('shows identity to a caseworker, records the read, and hides the person from other organisations', async () => {
      const { personId } = (
        await http(world.app).post('/persons', person()).as(caseworker).expect(201)
      ).body as { personId: string };
      const read = await http(world.app).get(`/persons/${personId}`).as(caseworker).expect(200);
      expect(read.body).toMatchObject({
        identity: { givenName: 'Amara', familyName: 'Okafor' },
        citizenship: ['NG'],
      });
      const records = await collect(
        world.store.readStream(`access-identification-person-${personId}`),
      );
      expect(records.map((record) => record.data)).toEqual([
        expect.objectContaining({
          subjectId: personId,
          categories: ['identity'],
          route: 'GET /persons/:personId',
        }),
      ]);
      await http(world.app)
        .get(`/persons/${personId}`)
        .as(await world.token(['caseworker'], ORGS.unrelated))
        .expectProblem(404, 'PERSON_NOT_FOUND');
    });

    it('rejects a malformed registration naming the field', async () => {
      const problem = await http(world.app)
        .post('/persons', { ...person(), identity: { givenName: '', familyName: 'X' } })
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.identity.givenName');
    });
  });

  describe('opening journeys', () => {
    it('opens one journey per person unless a reason is given for another', async () => {
      const { personId } = await openJourney();
      await http(world.app)
        .post('/journeys', { personId, jurisdiction: 'NL' })
        .as(caseworker)
        .expectProblem(409, 'JOURNEY_ALREADY_OPEN');
      await http(world.app)
        .post('/journeys', {
          personId,
          jurisdiction: 'NL',
          additionalJourneyReason: 'Re-trafficked after return',
        })
        .as(caseworker)
        .expect(201);
    });

    it('does not open a journey for a person of another organisation', async () => {
      const { personId } = (
        await http(world.app).post('/persons', person()).as(caseworker).expect(201)
      ).body as { personId: string };
      const stranger = await world.token(['caseworker'], ORGS.unrelated);
      await http(world.app)
        .post('/journeys', { personId, jurisdiction: 'NL' })
        .as(stranger)
        .expectProblem(422, 'PERSON_NOT_FOUND');
    });
  });

  describe('recording facts', () => {
    it('records a conclusive decision with no reasonable-grounds decision before it: a fact, for the audit to judge', async () => {
      const { journeyId } = await openJourney();
      const recorded = await http(world.app)
        .post(`/journeys/${journeyId}/conclusive-grounds`, {
          status: 'ActualVictimOfTrafficking',
          decidingBody: { type: 'Police', name: 'Unit 3' },
          reasonCodes: ['indicators_confirmed'],
          rationale: 'Consistent account, documents withheld by employer',
          legalBasis: 'CoE Art. 10',
        })
        .as(caseworker)
        .expect(201);
      const [, stored] = await collect(world.store.readStream(`identification-${journeyId}`));
      expect(recorded.body).toEqual({ journeyId, revision: 1, eventIds: [stored?.id] });
      expect(recorded.headers.etag).toBe('"1"');
    });

    it('answers 401 without a token, 403 for a role that may not record, 404 for a journey of another organisation or none', async () => {
      const { journeyId } = await openJourney();
      const fact = { reasonsToBelieveChild: ['appearance'] };
      await http(world.app)
        .post(`/journeys/${journeyId}/age-uncertainty`, fact)
        .expectProblem(401, 'UNAUTHENTICATED');
      await http(world.app)
        .post(`/journeys/${journeyId}/age-uncertainty`, fact)
        .as(await world.token(['analyst']))
        .expectProblem(403, 'FORBIDDEN');
      await http(world.app)
        .post(`/journeys/${journeyId}/age-uncertainty`, fact)
        .as(await world.token(['caseworker'], ORGS.unrelated))
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .post(`/journeys/${v7()}/age-uncertainty`, fact)
        .as(caseworker)
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
    });

    it('honours If-Match: a stale revision is 412, a current one is accepted, a malformed one is 400', async () => {
      const { journeyId } = await openJourney();
      const fact = { separated: true };
      await http(world.app)
        .post(`/journeys/${journeyId}/unaccompanied`, fact)
        .as(caseworker)
        .header('if-match', '"5"')
        .expectProblem(412, 'PRECONDITION_FAILED');
      await http(world.app)
        .post(`/journeys/${journeyId}/unaccompanied`, fact)
        .as(caseworker)
        .header('if-match', '"0"')
        .expect(201);
      const problem = await http(world.app)
        .post(`/journeys/${journeyId}/unaccompanied`, fact)
        .as(caseworker)
        .header('if-match', 'W/"1"')
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('headers.if-match');
    });

    it('replays a retried request with the same Idempotency-Key and writes nothing more', async () => {
      const { journeyId } = await openJourney();
      const fact = { channel: 'hotline', location: 'Canal street' };
      const first = await http(world.app)
        .post(`/journeys/${journeyId}/first-contact`, fact)
        .as(caseworker)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      const again = await http(world.app)
        .post(`/journeys/${journeyId}/first-contact`, fact)
        .as(caseworker)
        .header('idempotency-key', 'retry-1')
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await world.store.streamRevision(`identification-${journeyId}`)).toBe(1);
      await http(world.app)
        .post(`/journeys/${journeyId}/first-contact`, { ...fact, channel: 'police' })
        .as(caseworker)
        .header('idempotency-key', 'retry-1')
        .expectProblem(422, 'IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('referrals', () => {
    it('needs a sharing consent; the referred organisation sees the journey once it accepts, and no longer once consent is withdrawn', async () => {
      const { journeyId } = await openJourney();
      const shelter = await world.token(['shelter_staff'], ORGS.shelter);
      const refusal = await http(world.app)
        .post(`/journeys/${journeyId}/referrals`, {
          toOrgId: ORGS.shelter,
          reason: 'AdditionalServicesRequired',
        })
        .as(caseworker)
        .expectProblem(422, 'CONSENT_REQUIRED');
      expect(refusal.field).toBe('consentId');

      const consentId = v7();
      await http(world.app)
        .post(`/journeys/${journeyId}/consents`, {
          consentId,
          scope: 'sharing',
          givenBy: 'self',
          informedOf: ['purpose', 'how_to_withdraw'],
        })
        .as(caseworker)
        .expect(201);
      const referral = await http(world.app)
        .post(`/journeys/${journeyId}/referrals`, {
          toOrgId: ORGS.shelter,
          reason: 'AdditionalServicesRequired',
          consentId,
        })
        .as(caseworker)
        .expect(201);
      const { referralId } = referral.body as { referralId: string };

      await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(shelter)
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .post(`/journeys/${journeyId}/referrals/${referralId}/acceptance`)
        .as(shelter)
        .expect(201);
      const seen = await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(shelter)
        .expect(200);
      expect(seen.body).toMatchObject({
        journeyId,
        referrals: [{ referralId, status: 'accepted' }],
      });

      await http(world.app)
        .post(`/journeys/${journeyId}/consents/${consentId}/withdrawal`)
        .as(caseworker)
        .expect(201);
      await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(shelter)
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .post(`/journeys/${journeyId}/referrals`, {
          toOrgId: ORGS.unrelated,
          reason: 'AdditionalServicesRequired',
          consentId,
        })
        .as(caseworker)
        .expectProblem(422, 'CONSENT_WITHDRAWN');
    });

    it('a supervisor may refer without consent, recording a reason; a caseworker may not', async () => {
      const { journeyId } = await openJourney();
      const body = {
        toOrgId: ORGS.shelter,
        reason: 'AdditionalServicesRequired',
        overrideReason: 'Immediate danger; consent cannot be sought now',
      };
      await http(world.app)
        .post(`/journeys/${journeyId}/referrals`, body)
        .as(caseworker)
        .expectProblem(403, 'OVERRIDE_REQUIRES_SUPERVISOR');
      await http(world.app)
        .post(`/journeys/${journeyId}/referrals`, body)
        .as(await world.token(['supervisor']))
        .expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/referrals`, { ...body, toOrgId: ORGS.closed })
        .as(await world.token(['supervisor']))
        .expectProblem(422, 'ORGANISATION_NOT_ACCEPTING_REFERRALS');
    });
  });

  describe('reading the identification state', () => {
    it('decrypts for the categories a role may read, hides the rest, and records every read', async () => {
      const { journeyId } = await openJourney();
      await http(world.app)
        .post(`/journeys/${journeyId}/first-contact`, {
          channel: 'outreach',
          location: 'Platform 4, central station',
        })
        .as(caseworker)
        .expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/reasonable-grounds`, {
          outcome: 'positive',
          decidingBody: { type: 'NGO', name: 'Outreach' },
          reasonCodes: ['indicators_present'],
          rationale: 'Debt bondage described',
          legalBasis: 'CoE Art. 10(2)',
        })
        .as(caseworker)
        .expect(201);
      const full = await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(caseworker)
        .expect(200);
      expect(full.headers.etag).toBe('"2"');
      expect(full.body).toMatchObject({
        firstContact: { channel: 'outreach', location: 'Platform 4, central station' },
        reasonableGrounds: { outcome: 'positive', rationale: 'Debt bondage described' },
      });

      const dpo = await world.token(['data_protection_officer'], ORGS.unrelated);
      await http(world.app).get(`/journeys/${journeyId}/identification`).as(dpo).expect(200);
      const auditor = await world.token(['auditor'], ORGS.unrelated, 'auditor-1');
      await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(auditor)
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .post('/auditor-mandates', {
          auditorUserId: 'auditor-1',
          orgIds: [ORGS.outreach],
          from: '2020-01-01T00:00:00.000Z',
          until: '2099-01-01T00:00:00.000Z',
        })
        .as(dpo)
        .expect(201);
      const audited = await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(auditor)
        .expect(200);
      expect(audited.body).toMatchObject({
        firstContact: { location: { $hidden: 'restricted', category: 'location' } },
        reasonableGrounds: {
          outcome: 'positive',
          rationale: { $hidden: 'restricted', category: 'notes' },
        },
      });

      const reads = await collect(world.store.readStream(`access-identification-${journeyId}`));
      expect(reads.map((read) => [read.data.userId, read.data.categories])).toEqual([
        [expect.stringContaining('caseworker'), ['location', 'notes']],
        [expect.stringContaining('data_protection_officer'), ['location', 'notes']],
        ['auditor-1', []],
      ]);
    });

    it("shows erased values once the person's keys are destroyed, without breaking the read", async () => {
      const { personId, journeyId } = await openJourney();
      await http(world.app)
        .post(`/journeys/${journeyId}/first-contact`, {
          channel: 'outreach',
          location: 'Somewhere',
        })
        .as(caseworker)
        .expect(201);
      await world.keys.destroy(personId, ['location', 'identity', 'notes'], 'erasure-request');
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(caseworker)
        .expect(200);
      expect(read.body).toMatchObject({
        firstContact: {
          channel: 'outreach',
          location: { $hidden: 'erased', category: 'location' },
        },
      });
      expect((await world.store.verifyStream(`identification-${journeyId}`)).ok).toBe(true);
    });

    it('break-glass opens a journey for a limited time, with a reason, and lists it for review', async () => {
      const { journeyId } = await openJourney();
      const outsider = await world.token(['caseworker'], ORGS.unrelated, 'outsider');
      await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(outsider)
        .expectProblem(404, 'JOURNEY_NOT_FOUND');
      await http(world.app)
        .post(`/journeys/${journeyId}/break-glass`, {
          reason: 'Person arrived at our shelter at night, injured',
        })
        .as(outsider)
        .expect(201);
      await http(world.app).get(`/journeys/${journeyId}/identification`).as(outsider).expect(200);
      const review = await http(world.app)
        .get('/break-glass')
        .as(await world.token(['supervisor']))
        .expect(200);
      expect(review.body).toMatchObject({ openings: [{ journeyId, userId: 'outsider' }] });
      expect(JSON.stringify(review.body)).not.toContain('injured');
    });
  });

  describe('corrections', () => {
    it('a retracted withdrawal of consent no longer counts', async () => {
      const { journeyId } = await openJourney();
      const consentId = v7();
      await http(world.app)
        .post(`/journeys/${journeyId}/consents`, {
          consentId,
          scope: 'sharing',
          givenBy: 'self',
          informedOf: ['purpose'],
        })
        .as(caseworker)
        .expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/consents/${consentId}/withdrawal`)
        .as(caseworker)
        .expect(201);
      const events = await collect(world.store.readStream(`identification-${journeyId}`));
      const withdrawal = events.find((event) => event.type === 'ConsentWithdrawn');
      await http(world.app)
        .post(`/journeys/${journeyId}/retractions`, {
          retractedEventId: withdrawal?.id,
          reasonCode: 'recorded-in-error',
          explanation: 'Wrong person',
        })
        .as(caseworker)
        .expect(201);
      await http(world.app)
        .post(`/journeys/${journeyId}/referrals`, {
          toOrgId: ORGS.shelter,
          reason: 'AdditionalServicesRequired',
          consentId,
        })
        .as(caseworker)
        .expect(201);
      const view = await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(caseworker)
        .expect(200);
      expect(view.body).toMatchObject({
        consents: [{ consentId }],
        corrections: [{ kind: 'retraction', targetEventId: withdrawal?.id }],
      });
      expect(view.body).not.toHaveProperty('consents.0.withdrawnAt');
    });
  });

  describe('found in review', () => {
    it('stores an amendment as validated: an unknown key never rides along in clear', async () => {
      const { journeyId } = await openJourney();
      const consentId = v7();
      await http(world.app)
        .post(`/journeys/${journeyId}/consents`, {
          consentId,
          scope: 'sharing',
          givenBy: 'self',
          informedOf: ['purpose'],
        })
        .as(caseworker)
        .expect(201);
      const consent = (await collect(world.store.readStream(`identification-${journeyId}`))).find(
        (event) => event.type === 'ConsentRecorded',
      );
      await http(world.app)
        .post(`/journeys/${journeyId}/amendments`, {
          amendedEventId: consent?.id,
          reasonCode: 'data-entry-error',
          replacement: {
            consentId,
            scope: 'sharing',
            givenBy: 'guardian',
            informedOf: ['purpose'],
            victimAddress: 'Kerkstraat 5',
          },
        })
        .as(caseworker)
        .expect(201);
      expect(
        JSON.stringify(await collect(world.store.readStream(`identification-${journeyId}`))),
      ).not.toContain('Kerkstraat');
      await http(world.app)
        .post(`/journeys/${journeyId}/referrals`, {
          toOrgId: ORGS.shelter,
          reason: 'AdditionalServicesRequired',
          consentId,
        })
        .as(caseworker)
        .expect(201);
    });

    it('refuses to amend a decision: it is retracted and decided again', async () => {
      const { journeyId } = await openJourney();
      const body = {
        toOrgId: ORGS.shelter,
        reason: 'AdditionalServicesRequired',
        overrideReason: 'Immediate danger',
      };
      await http(world.app)
        .post(`/journeys/${journeyId}/referrals`, body)
        .as(await world.token(['supervisor']))
        .expect(201);
      const made = (await collect(world.store.readStream(`identification-${journeyId}`))).find(
        (event) => event.type === 'ReferralMade',
      );
      await http(world.app)
        .post(`/journeys/${journeyId}/amendments`, {
          amendedEventId: made?.id,
          reasonCode: 'other',
          replacement: {
            referralId: made?.data.referralId,
            toOrgId: ORGS.unrelated,
            reason: 'AdditionalServicesRequired',
            services: [],
          },
        })
        .as(caseworker)
        .expectProblem(422, 'DECISION_NOT_AMENDABLE');
    });

    it("a mandate shows an auditor the auditor's categories only, whatever else the token carries", async () => {
      const { journeyId } = await openJourney();
      await http(world.app)
        .post(`/journeys/${journeyId}/first-contact`, {
          channel: 'outreach',
          location: 'Platform 4',
        })
        .as(caseworker)
        .expect(201);
      const dpo = await world.token(['data_protection_officer'], ORGS.unrelated);
      await http(world.app)
        .post('/auditor-mandates', {
          auditorUserId: 'auditor-2',
          orgIds: [ORGS.outreach],
          from: '2020-01-01T00:00:00.000Z',
          until: '2099-01-01T00:00:00.000Z',
        })
        .as(dpo)
        .expect(201);
      const both = await world.token(['auditor', 'caseworker'], ORGS.unrelated, 'auditor-2');
      const read = await http(world.app)
        .get(`/journeys/${journeyId}/identification`)
        .as(both)
        .expect(200);
      expect(read.body).toMatchObject({
        firstContact: { location: { $hidden: 'restricted', category: 'location' } },
      });
    });

    it('refuses an encrypted-field envelope sent by a client', async () => {
      const { journeyId } = await openJourney();
      const forged = {
        $enc: 'aes-256-gcm/v1',
        subject: 'nobody',
        category: 'location',
        path: 'data.location',
        iv: 'AAAA',
        ct: 'AAAA',
        tag: 'AAAA',
      };
      const problem = await http(world.app)
        .post(`/journeys/${journeyId}/first-contact`, { channel: 'outreach', location: forged })
        .as(caseworker)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('body.location');
    });

    it('does not tell another organisation that a name is registered', async () => {
      await http(world.app).post('/persons', person('Petrova')).as(caseworker).expect(201);
      const stranger = await world.token(['caseworker'], ORGS.unrelated);
      await http(world.app).post('/persons', person('Petrova')).as(stranger).expect(201);
    });

    it('gives a retried opening its journey back when the first attempt stopped between its two appends', async () => {
      const { personId } = (
        await http(world.app)
          .post('/persons', person(`Retry-${v7()}`))
          .as(caseworker)
          .expect(201)
      ).body as { personId: string };
      const append = world.store.append.bind(world.store);
      let failed = false;
      world.store.append = (stream, events, options) => {
        if (!failed && stream.startsWith('identification-')) {
          failed = true;
          return Promise.reject(new Error('connection lost'));
        }
        return append(stream, events, options);
      };
      await http(world.app)
        .post('/journeys', { personId, jurisdiction: 'NL' })
        .as(caseworker)
        .header('idempotency-key', 'open-1')
        .expectProblem(500, 'INTERNAL');
      const retried = await http(world.app)
        .post('/journeys', { personId, jurisdiction: 'NL' })
        .as(caseworker)
        .header('idempotency-key', 'open-1')
        .expect(201);
      const { journeyId } = retried.body as { journeyId: string };
      expect(await world.store.streamRevision(`identification-${journeyId}`)).toBe(0);
      await http(world.app).get(`/journeys/${journeyId}/identification`).as(caseworker).expect(200);
    });
  });

  it('never writes a personal value to the log', async () => {
    const canary = `Canary${v7().replace(/-/g, '')}`;
    const registered = await http(world.app)
      .post('/persons', person(canary))
      .as(caseworker)
      .expect(201);
    const { personId } = registered.body as { personId: string };
    await http(world.app).get(`/persons/${personId}`).as(caseworker).expect(200);
    await http(world.app)
      .get(`/persons?givenName=Amara&familyName=${canary}`)
      .as(caseworker)
      .expect(200);
    await http(world.app)
      .post('/persons', { ...person(canary), gender: 42 })
      .as(caseworker)
      .expectProblem(400, 'VALIDATION_FAILED');
    expect(world.logs.length).toBeGreaterThan(0);
    expect(world.logs.join('\n')).not.toContain(canary);
  });
});
