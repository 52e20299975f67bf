import { http } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { ORGS, testWorld, type TestWorld } from '../testing/test-app.js';

const shelterBody = (overrides: Record<string, unknown>) => ({
  name: `House ${v7()}`,
  type: 'emergency',
  capacity: 5,
  childOnly: false,
  adultsOnly: false,
  secure: false,
  country: 'NL',
  address: { line1: 'Quay 7', postalCode: '1000 AA', city: 'Harbourtown' },
  ...overrides,
});

describe('a person the registry recorded as a child, with no age fact on the journey', () => {
  let world: TestWorld;
  let staff: string;
  beforeEach(async () => {
    world = await testWorld();
    staff = await world.token(['shelter_staff']);
  });
  afterEach(async () => {
    await world.close();
  });

  /** A journey whose person was registered with `child`, as the identification service records it. */
  async function journeyOfRegistered(child: 'yes' | 'no'): Promise<string> {
    const { journeyId, personId } = await world.seedJourney();
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
          correlationId: v7(),
          causationId: v7(),
        },
      },
    ]);
    return journeyId;
  }

  async function registerShelter(overrides: Record<string, unknown>): Promise<string> {
    const registered = await http(world.app)
      .post('/shelters', shelterBody(overrides))
      .as(await world.token(['supervisor']))
      .expect(201);
    return (registered.body as { shelterId: string }).shelterId;
  }

  const admit = (journeyId: string, shelterId: string) =>
    http(world.app).post(`/journeys/${journeyId}/shelter/admissions`, { shelterId }).as(staff);

  it('is admitted to a child-only shelter', async () => {
    const shelterId = await registerShelter({ childOnly: true, type: 'children' });
    await admit(await journeyOfRegistered('yes'), shelterId).expect(201);
    await admit(await journeyOfRegistered('no'), shelterId).expectProblem(
      422,
      'CHILD_ONLY_SHELTER',
    );
  });

  it('is refused by an adults-only shelter', async () => {
    const shelterId = await registerShelter({ adultsOnly: true });
    await admit(await journeyOfRegistered('yes'), shelterId).expectProblem(
      422,
      'ADULT_SHELTER_FOR_PRESUMED_CHILD',
    );
  });
});
