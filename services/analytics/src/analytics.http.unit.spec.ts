import { http } from '@waypoint/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many } from './testing/facts-row.js';
import { testWorld, type TestWorld } from './testing/test-app.js';

const day = (date: string): string => `${date}T00:00:00.000Z`;
const review = (
  on: string,
  housing: 'shelter_or_temporary' | 'stable_own',
  safe: 'no' | 'yes',
) => ({
  on: day(on),
  economic: 0.5,
  social: 0.5,
  psychosocial: 0.5,
  composite: null,
  situation: { housing, work: null, school: null, feelsSafe: safe, legalStatus: null },
});
/**
 * 60 consenting journeys (30 women, 30 men) and 20 without consent, which never count. The women
 * were reviewed on 1 March 2025 in temporary housing, not feeling safe, and 3 months later housed
 * and feeling safe.
 */
const FACTS = [
  ...many(30, {
    gender: 'Feminine',
    reasonableGroundsAt: day('2025-02-11'),
    reasonableGroundsOutcome: 'positive',
    shelterAdmittedAt: day('2025-02-05'),
    firstServiceAt: day('2025-02-05'),
    reviews: [
      review('2025-03-01', 'shelter_or_temporary', 'no'),
      review('2025-06-01', 'stable_own', 'yes'),
    ],
  }),
  ...many(30, { gender: 'Masculine', identifiedAt: day('2024-06-01') }),
  ...many(20, { consentAnonymousReporting: false }),
];

interface Indicators {
  indicators: { key: string; statistic: { status: string; value?: number; n?: number } }[];
}

describe('the analytics API', () => {
  let world: TestWorld;
  let analyst: string;
  let dpo: string;
  beforeAll(async () => {
    world = await testWorld(FACTS);
    analyst = await world.token(['analyst']);
    dpo = await world.token(['data_protection_officer'], 'dpo-1');
  });
  afterAll(async () => {
    await world.close();
  });

  describe('indicators', () => {
    it('gives an analyst the indicators over consenting journeys only, and no journey id', async () => {
      const response = await http(world.app).get('/analytics/indicators').as(analyst).expect(200);
      const body = response.body as Indicators;
      expect(body.indicators.find((item) => item.key === 'journeys')?.statistic).toEqual({
        status: 'published',
        value: 60,
        n: 60,
      });
      for (const row of FACTS) expect(response.text).not.toContain(row.journeyId);
    });

    it('filters the cohort', async () => {
      const response = await http(world.app)
        .get('/analytics/indicators?gender=Feminine&fromYear=2025')
        .as(await world.token(['supervisor']))
        .expect(200);
      const body = response.body as Indicators & { filter: unknown };
      expect(body.filter).toEqual({ gender: 'Feminine', fromYear: 2025 });
      expect(
        body.indicators.find((item) => item.key === 'assisted_after_positive_reasonable_grounds')
          ?.statistic,
      ).toEqual({ status: 'published', value: 100, n: 30 });
    });

    it('answers the situation the reviews found, at baseline and at 3, 6 and 12 months', async () => {
      const response = await http(world.app).get('/analytics/indicators').as(analyst).expect(200);
      const body = response.body as Indicators;
      const situations = body.indicators.filter((item) =>
        /^review_(housed_stably|in_work_or_training|children_in_school|feeling_safe|legal_status_regular)_/.test(
          item.key,
        ),
      );
      expect(situations).toHaveLength(20);
      const valueOf = (key: string) => situations.find((item) => item.key === key)?.statistic;
      expect(valueOf('review_housed_stably_baseline')).toEqual({
        status: 'published',
        value: 0,
        n: 30,
      });
      expect(valueOf('review_housed_stably_m3')).toEqual({
        status: 'published',
        value: 100,
        n: 30,
      });
      expect(valueOf('review_feeling_safe_m3')).toEqual({ status: 'published', value: 100, n: 30 });
      expect(valueOf('review_housed_stably_m6')).toEqual({
        status: 'suppressed',
        reason: 'too_few_journeys',
      });
      expect(valueOf('review_in_work_or_training_baseline')?.status).toBe('suppressed');
      const men = await http(world.app)
        .get('/analytics/indicators?gender=Masculine')
        .as(analyst)
        .expect(200);
      expect(
        (men.body as Indicators).indicators.find((item) => item.key === 'review_housed_stably_m3')
          ?.statistic.status,
      ).toBe('suppressed');
    });

    it('names the offending filter', async () => {
      const bad = await http(world.app)
        .get('/analytics/indicators?gender=Alien')
        .as(analyst)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(bad.field).toBe('querystring.gender');
      const misspelt = await http(world.app)
        .get('/analytics/indicators?gendr=Feminine')
        .as(analyst)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(misspelt.detail).toContain('gendr');
      const reversed = await http(world.app)
        .get('/analytics/indicators?fromYear=2025&toYear=2024')
        .as(analyst)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(reversed.field).toBe('querystring.toYear');
    });

    it('refuses a caseworker', async () => {
      await http(world.app)
        .get('/analytics/indicators')
        .as(await world.token(['caseworker']))
        .expectProblem(403, 'FORBIDDEN');
    });
  });

  describe('breakdowns, curves and the funnel', () => {
    it('breaks the indicators down by gender', async () => {
      const response = await http(world.app)
        .get('/analytics/breakdowns/gender')
        .as(analyst)
        .expect(200);
      const groups = (response.body as { groups: { value: string; journeys: unknown }[] }).groups;
      expect(groups.map((group) => [group.value, group.journeys])).toEqual([
        ['Feminine', { status: 'published', value: 30, n: 30 }],
        ['Masculine', { status: 'published', value: 30, n: 30 }],
      ]);
    });

    it('gives a time-to-shelter curve that stops under 10 at risk', async () => {
      const response = await http(world.app)
        .get('/analytics/survival/time_to_shelter')
        .as(await world.token(['auditor']))
        .expect(200);
      const points = (response.body as { points: { day: number; atRisk: number }[] }).points;
      expect(points[0]).toEqual({ day: 0, cumulative: 0, atRisk: 60 });
      expect(points.every((point) => point.atRisk >= 10)).toBe(true);
    });

    it('refuses an unknown curve', async () => {
      const problem = await http(world.app)
        .get('/analytics/survival/time_to_nowhere')
        .as(analyst)
        .expectProblem(400, 'VALIDATION_FAILED');
      expect(problem.field).toBe('params.curve');
    });

    it('counts the funnel', async () => {
      const response = await http(world.app).get('/analytics/funnel').as(analyst).expect(200);
      const stages = (response.body as { stages: { key: string; journeys: unknown }[] }).stages;
      expect(stages.slice(0, 3)).toEqual([
        expect.objectContaining({
          key: 'journeys',
          journeys: { status: 'published', value: 60, n: 60 },
        }),
        expect.objectContaining({
          key: 'positive_reasonable_grounds',
          journeys: { status: 'published', value: 30, n: 30 },
        }),
        expect.objectContaining({
          key: 'assisted',
          journeys: { status: 'published', value: 30, n: 30 },
        }),
      ]);
    });
  });

  describe('charts and the dashboard', () => {
    it('renders a chart as SVG and as PNG', async () => {
      const svg = await http(world.app).get('/analytics/charts/funnel.svg').as(analyst).expect(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(svg.text).toMatch(/^<svg/);
      expect(svg.text).toContain('Positive reasonable grounds');
      const png = await world.app.inject({
        method: 'GET',
        url: '/analytics/charts/survival.png',
        headers: { authorization: `Bearer ${analyst}` },
      });
      expect(png.statusCode).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.rawPayload.subarray(1, 4).toString('latin1')).toBe('PNG');
    });

    it('serves a self-contained dashboard page', async () => {
      const page = await http(world.app).get('/analytics/dashboard').as(analyst).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text.match(/<svg/g)).toHaveLength(4);
      expect(page.text).not.toMatch(/<script|<link|src="http/);
    });
  });

  describe('the CTDC export', () => {
    it('is refused to an analyst', async () => {
      await http(world.app)
        .get('/analytics/exports/ctdc.csv')
        .as(analyst)
        .expectProblem(403, 'FORBIDDEN');
    });

    it('gives the data-protection officer k-anonymous rows and records who exported what', async () => {
      const response = await http(world.app)
        .get('/analytics/exports/ctdc.csv?gender=Feminine')
        .as(dpo)
        .expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      const lines = response.text.trimEnd().split('\r\n');
      expect(lines).toHaveLength(31);
      const exportId = String(response.headers['x-export-id']);
      const recorded = [];
      for await (const event of world.store.readStream(`analytics-export-${exportId}`))
        recorded.push(event);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]?.type).toBe('CtdcExportProduced');
      expect(recorded[0]?.data).toMatchObject({
        exportId,
        userId: 'dpo-1',
        filter: { gender: 'Feminine' },
        k: 11,
        rows: 30,
        suppressedRows: 0,
      });
    });
  });
});
