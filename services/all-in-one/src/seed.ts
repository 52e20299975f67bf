import type { EventStore } from '@waypoint/eventstore';
import { ensureDemoShelters } from '@waypoint/shelter-service';
import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';
import { v7 } from 'uuid';
import type { DemoClock } from './demo-clock.js';
import { enterDemoJourney, openingOf } from './demo-journey.js';
import { DEMO_ORGANISATIONS } from './demo.js';
import { noProgress, type ProgressSink } from './progress.js';
import { seedClient } from './seed-client.js';

export interface SeedOptions {
  /** The app's clock while the demo goes in: set to when each demo fact happened. */
  readonly clock: DemoClock;
  readonly progress?: ProgressSink;
}

async function count(store: EventStore, category: string, type: string): Promise<number> {
  let n = 0;
  for await (const event of store.readAll({
    filter: { categories: [category], eventTypes: [type] },
  }))
    if (event.type === type) n += 1;
  return n;
}

/** The demo organisations, in their own streams (the directory would assign other ids). */
async function registerOrganisations(store: EventStore, since: Date): Promise<number> {
  let registered = 0;
  for (const organisation of DEMO_ORGANISATIONS) {
    if ((await store.streamRevision(`organisation-${organisation.orgId}`)) !== null) continue;
    const { orgId, ...data } = organisation;
    await store.append(`organisation-${orgId}`, [
      {
        id: v7(),
        type: 'OrganisationRegistered',
        schemaVersion: 1,
        data: { orgId, ...data, services: [...data.services] },
        metadata: {
          occurredAt: since.toISOString(),
          actor: { userId: 'seed', role: 'admin', orgId },
          correlationId: 'seed',
          causationId: 'seed',
        },
      },
    ]);
    registered += 1;
  }
  return registered;
}

/**
 * Synthetic demo data through the public API, as a client would enter it: the demo organisations
 * and shelters, then `journeys` journeys of invented persons, spread over the months before today
 * (see `enterDemoJourney`). Seeded: the same demo on every machine. Journeys already there count,
 * so a restart adds only what is missing.
 */
export async function seedDemo(
  app: FastifyInstance,
  store: EventStore,
  privateJwk: JWK,
  journeys: number,
  { clock, progress = noProgress }: SeedOptions,
): Promise<{ organisations: number; journeys: number }> {
  const today = new Date();
  const since = new Date(today.getTime() - 365 * 86_400_000);
  const api = seedClient(app, privateJwk);
  const organisations = await registerOrganisations(store, since);
  clock.set(since);
  await ensureDemoShelters(app, (user) => api.token(user));
  const existing = await count(store, 'identification', 'JourneyOpened');
  if (existing >= journeys) return { organisations, journeys: 0 };
  const bar = progress('demo journeys', journeys - existing);
  let created = 0;
  for (let n = existing; n < journeys; n += 1) {
    await enterDemoJourney(app, api, clock, { n, opened: openingOf(n, journeys, today) });
    created += 1;
    bar.update(created);
  }
  bar.finish();
  return { organisations, journeys: created };
}
