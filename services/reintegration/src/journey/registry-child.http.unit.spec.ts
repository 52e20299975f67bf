import { collect } from '@waypoint/eventstore/contract';
import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from '../testing/test-app.js';

const ngo = { type: 'NGO', name: 'Outreach' };
const assistedReturn = () => ({
  returnId: v7(),
  voluntary: true,
  destination: { kind: 'other', placeType: 'foster_or_residential_care' },
  countryOfReturn: 'RO',
});

describe('the assisted return of a person the registry recorded as a child', () => {
  let world: TestWorld;
  let caseworker: string;
  beforeEach(async () => {
    world = await testWorld();
    caseworker = await world.token(['caseworker']);
  });
  afterEach(async () => {
    await world.close();
  });

  /** A journey with no age fact, whose person was registered with `child`. */
  async function journeyOfRegistered(child: 'yes' | 'no'): Promise<string> {
    const { journeyId, personId } = await world.openJourney();
    await world.store.append(`person-${personId}`, [
      {
        id: v7(),
        type: 'PersonRegistered',
        schemaVersion: 1,
        data: {
          personId,
          identity: { $enc: 'aes-256-gcm/v1', subject: personId, category: 'identity' },
          blindIndexes: { name: 'bi' },
          gender: 'Feminine',
          ageBand: child === 'yes' ? '9-17' : '30-38',
          child,
          citizenship: ['RO'],
          languages: ['ro'],
          registeredByOrgId: ORGS.outreach,
        },
        metadata: {
          occurredAt: new Date().toISOString(),
          actor: { userId: 'registrar', role: 'caseworker', orgId: ORGS.outreach },
          correlationId: v7(),
          causationId: v7(),
        },
      },
    ]);
    return journeyId;
  }

  const post = (journeyId: string, path: string, body: unknown) =>
    http(world.app).post(`/journeys/${journeyId}/reintegration/${path}`, body).as(caseworker);

  it('goes through the child guards: best interests first', async () => {
    const journeyId = await journeyOfRegistered('yes');
    await post(journeyId, 'risk-assessments', {
      scope: 'return',
      level: 'low',
      assessedBy: ngo,
    }).expect(201);
    await post(journeyId, 'assisted-returns', assistedReturn()).expectProblem(
      422,
      'BEST_INTERESTS_DETERMINATION_REQUIRED',
    );
  });

  it('an adult in the registry is decided as an adult', async () => {
    const journeyId = await journeyOfRegistered('no');
    await post(journeyId, 'risk-assessments', {
      scope: 'return',
      level: 'low',
      assessedBy: ngo,
    }).expect(201);
    await post(journeyId, 'assisted-returns', assistedReturn()).expect(201);
    const decision = (await collect(world.store.readStream(`reintegration-${journeyId}`))).at(-1);
    expect(decision).toMatchObject({
      type: 'AssistedReturnDecided',
      data: { presumedChild: false },
    });
  });
});
