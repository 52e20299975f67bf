import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORGS, journeyWorld, type JourneyWorld } from './testing/test-world.js';

describe('the journey summary of a person the registry recorded as a child', () => {
  let world: JourneyWorld;
  let caseworker: string;
  beforeEach(async () => {
    world = await journeyWorld();
    caseworker = await world.token(['caseworker']);
  });
  afterEach(async () => {
    await world.close();
  });

  async function register(personId: string, child: 'yes' | 'no'): Promise<void> {
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
          citizenship: ['NG'],
          languages: ['en'],
          registeredByOrgId: ORGS.outreach,
        },
        metadata: {
          occurredAt: new Date().toISOString(),
          actor: { userId: 'registrar', role: 'caseworker', orgId: ORGS.outreach },
          correlationId: 'spec',
          causationId: 'spec',
        },
      },
    ]);
  }

  async function summary(journeyId: string) {
    await world.caughtUp();
    const response = await http(world.app)
      .get(`/journeys/${journeyId}/summary`)
      .as(caseworker)
      .expect(200);
    return response.body as {
      child: { presumed: boolean; since: string | null };
      due: { kind: string }[];
    };
  }

  it('presumes a child from the opening, and asks for a guardian', async () => {
    const { journeyId, personId } = await world.openJourney();
    await register(personId, 'yes');
    const seen = await summary(journeyId);
    expect(seen.child).toMatchObject({ presumed: true, since: expect.any(String) as unknown });
    expect(seen.due.map((item) => item.kind)).toContain('guardian-not-appointed');
  });

  it('keeps counting the registry as later events of the journey fold in', async () => {
    const { journeyId, personId } = await world.openJourney();
    await register(personId, 'yes');
    await world.caughtUp();
    await world.record('identification', journeyId, [
      {
        type: 'InformationProvided',
        data: { topic: 'rights', language: 'en', interpreterUsed: false },
      },
    ]);
    expect((await summary(journeyId)).child.presumed).toBe(true);
  });

  it("lets the journey's age assessment decide over the registry", async () => {
    const { journeyId, personId } = await world.openJourney();
    await register(personId, 'yes');
    await world.record('identification', journeyId, [
      { type: 'AgeAssessed', data: { outcome: 'adult', method: 'documents' } },
    ]);
    expect((await summary(journeyId)).child.presumed).toBe(false);
  });

  it('an adult in the registry is not presumed a child', async () => {
    const { journeyId, personId } = await world.openJourney();
    await register(personId, 'no');
    expect((await summary(journeyId)).child.presumed).toBe(false);
  });
});
