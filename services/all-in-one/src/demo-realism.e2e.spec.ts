import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { http } from '@waypoint/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allInOneConfigSchema } from './config.js';
import { startEmbedded } from './embedded.js';
import { demoToken } from './tokens.js';

const folder = mkdtempSync(join(tmpdir(), 'waypoint-demo-'));
const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});
let embedded: Awaited<ReturnType<typeof startEmbedded>>;
const RATE_LIMIT = 100;

beforeAll(async () => {
  embedded = await startEmbedded(
    // The demo's caseworker alone makes several hundred requests: they go in while the app does
    // not listen, past a limit it keeps once it serves.
    allInOneConfigSchema.parse({
      DATA_DIR: folder,
      DEMO_JOURNEYS: '40',
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    }),
    quiet,
  );
}, 600_000);
afterAll(async () => {
  await embedded.close();
  rmSync(folder, { recursive: true, force: true });
});

const as = (user: string): Promise<string> =>
  demoToken(embedded.secrets.signingKey.privateJwk, user);

interface Statistic {
  status: 'published' | 'suppressed';
}

describe('the demo data, once 40 journeys are seeded', () => {
  it('reaches the analytics: most people consented to anonymous reporting', async () => {
    const response = await http(embedded.app)
      .get('/analytics/indicators')
      .as(await as('analyst'))
      .expect(200);
    const { indicators } = response.body as { indicators: { statistic: Statistic }[] };
    expect(indicators.some((indicator) => indicator.statistic.status === 'published')).toBe(true);
  });

  it('spreads over months, so a Kaplan–Meier curve has more than one time point', async () => {
    const response = await http(embedded.app)
      .get('/analytics/survival/time_to_reasonable_grounds')
      .as(await as('analyst'))
      .expect(200);
    const { points } = response.body as { points: { day: number }[] };
    expect(new Set(points.map((point) => point.day)).size).toBeGreaterThan(1);
  });

  it('has shelters, with people placed in them', async () => {
    const response = await http(embedded.app)
      .get('/shelters')
      .as(await as('supervisor'))
      .expect(200);
    const { shelters } = response.body as { shelters: { name: string }[] };
    expect(shelters.map((shelter) => shelter.name)).toEqual(
      expect.arrayContaining(['Harbour Emergency Shelter', 'Harbour Long-Stay House']),
    );
  });

  it('dates what happened when it happened: journeys opened months apart', async () => {
    const response = await http(embedded.app)
      .get('/journeys?limit=200')
      .as(await as('caseworker'))
      .expect(200);
    const { items } = response.body as { items: { journeyId: string }[] };
    const firstEntries = await Promise.all(
      items.map(async ({ journeyId }) => {
        const timeline = await http(embedded.app)
          .get(`/journeys/${journeyId}/timeline`)
          .as(await as('caseworker'))
          .expect(200);
        const { entries } = timeline.body as { entries: { occurredAt: string }[] };
        return Math.min(...entries.map((entry) => Date.parse(entry.occurredAt)));
      }),
    );
    const spanDays = (Math.max(...firstEntries) - Math.min(...firstEntries)) / 86_400_000;
    expect(spanDays).toBeGreaterThan(120);
  });

  it('dates what happens once it serves at the real time: the demo clock is released', async () => {
    const before = Date.now();
    const caseworker = await as('caseworker');
    const registered = await http(embedded.app)
      .post('/persons', {
        identity: { givenName: 'Ana', familyName: 'Example', birthDate: '1990-04-02' },
        gender: 'Feminine',
        ageBand: '30-38',
        child: 'no',
        citizenship: ['RO'],
        languages: ['ro'],
      })
      .as(caseworker)
      .expect(201);
    const { personId } = registered.body as { personId: string };
    const opened = await http(embedded.app)
      .post('/journeys', { personId, jurisdiction: 'NL' })
      .as(caseworker)
      .expect(201);
    const { journeyId } = opened.body as { journeyId: string };
    const timeline = await http(embedded.app)
      .get(`/journeys/${journeyId}/timeline`)
      .as(caseworker)
      .expect(200);
    const { entries } = timeline.body as { entries: { occurredAt: string }[] };
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries)
      expect(Date.parse(entry.occurredAt)).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('limits each user once it serves, though the demo went in past that limit', async () => {
    const supervisor = await as('supervisor');
    const statuses: number[] = [];
    for (let call = 0; call <= RATE_LIMIT; call += 1)
      statuses.push((await http(embedded.app).get('/shelters').as(supervisor).send()).status);
    expect(statuses.at(-1)).toBe(429);
  });
});
