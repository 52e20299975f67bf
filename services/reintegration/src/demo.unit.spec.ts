import { collect } from '@waypoint/eventstore/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoJourney, type DemoUser } from './demo.js';
import { ORGS, testWorld, type TestWorld } from './testing/test-app.js';

describe('the demo journeys', () => {
  let world: TestWorld;
  let token: (user: DemoUser) => Promise<string>;
  beforeEach(async () => {
    world = await testWorld();
    token = (user) =>
      world.token(
        user === 'reintegration' ? ['reintegration_officer'] : ['caseworker'],
        ORGS.outreach,
        `demo-${user}`,
      );
  });
  afterEach(async () => {
    await world.close();
  });

  const types = async (journeyId: string): Promise<string[]> =>
    (await collect(world.store.readStream(`reintegration-${journeyId}`))).map(
      (event) => event.type,
    );

  it('records a lawful assisted return for a child, through every guard', async () => {
    const { journeyId } = await world.openJourney({ unaccompanied: 'with-guardian' });
    await demoJourney(world.app, token, journeyId);
    expect(await types(journeyId)).toEqual([
      'RiskAssessmentCompleted',
      'FamilyAssessmentCompleted',
      'ChildViewsRecorded',
      'BestInterestsDetermined',
      'AssistedReturnDecided',
      'ReceptionArrangedAtDestination',
      'ReturnExecuted',
      'ReintegrationPlanCreated',
      'ReintegrationReviewCompleted',
    ]);
    const [review] = (await collect(world.store.readStream(`reintegration-${journeyId}`))).slice(
      -1,
    );
    expect(review?.data).toMatchObject({
      situation: { housing: 'stable_family', school: 'enrolled_attending' },
    });
  });

  it('records a lawful assisted return for an adult', async () => {
    const { journeyId } = await world.openJourney();
    await demoJourney(world.app, token, journeyId);
    expect(await types(journeyId)).toContain('AssistedReturnDecided');
    expect(await types(journeyId)).not.toContain('BestInterestsDetermined');
    const [review] = (await collect(world.store.readStream(`reintegration-${journeyId}`))).slice(
      -1,
    );
    expect(review?.data).toMatchObject({
      situation: { housing: 'stable_own', work: 'unemployed_seeking', school: 'not_applicable' },
    });
  });

  it('records an authority’s forced return carried out with no assessment, for the audit to flag', async () => {
    const { journeyId } = await world.openJourney({ child: true });
    await demoJourney(world.app, token, journeyId, true);
    expect(await types(journeyId)).toEqual(['ReturnDecided', 'ReturnExecuted']);
  });
});
