import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { REQUIRE_SERVICES } from '@waypoint/testing';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { many } from './testing/facts-row.js';
import { testWorld, type TestWorld } from './testing/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && !REQUIRE_SERVICES)
  process.stderr.write(
    `dashboard e2e skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)\n`,
  );

const day = (date: string): string => `${date}T00:00:00.000Z`;
/** Enough journeys for every chart to have something published. */
const FACTS = [
  ...many(40, {
    reasonableGroundsAt: day('2025-02-15'),
    reasonableGroundsOutcome: 'positive',
    shelterAdmittedAt: day('2025-02-10'),
    firstServiceAt: day('2025-02-10'),
    followUpStartAt: day('2025-03-01'),
    lastContactAt: day('2025-12-01'),
    reviews: [
      {
        on: day('2025-03-10'),
        economic: 0.3,
        social: 0.5,
        psychosocial: 0.4,
        composite: 0.4,
        situation: null,
      },
      {
        on: day('2025-06-10'),
        economic: 0.5,
        social: 0.6,
        psychosocial: 0.5,
        composite: 0.55,
        situation: {
          housing: 'stable_own',
          work: 'in_training',
          school: 'not_applicable',
          feelsSafe: 'yes',
          legalStatus: 'citizen_returned',
        },
      },
    ],
  }),
  ...many(30, { reasonableGroundsAt: day('2025-03-20'), reasonableGroundsOutcome: 'negative' }),
];

describe.skipIf(!available && !REQUIRE_SERVICES)('the dashboard in a browser', () => {
  let world: TestWorld;
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    world = await testWorld(FACTS);
    await world.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${String((world.app.server.address() as AddressInfo).port)}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser.close();
    await world.close();
  });

  it('shows every chart, drawn, and the indicator table', async () => {
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${await world.token(['analyst'])}` },
    });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    const response = await page.goto(`${url}/analytics/dashboard`);
    expect(response?.status()).toBe(200);
    const charts = page.locator('figure.chart');
    expect(await charts.count()).toBe(4);
    for (const name of ['funnel', 'survival', 're-trafficking', 'reviews']) {
      const svg = page.locator(`figure[data-chart="${name}"] svg`);
      const box = await svg.boundingBox();
      expect(box?.width, name).toBeGreaterThan(200);
      expect(box?.height, name).toBeGreaterThan(100);
      // Marks drawn: bars or lines are paths with geometry.
      expect(await svg.locator('g.mark-rect path, g.mark-line path').count(), name).toBeGreaterThan(
        0,
      );
    }
    expect(await page.locator('tr[data-key="journeys"] td').nth(1).textContent()).toBe('70');
    // The situation the reviews found: 40 housed stably at 3 months, none recorded at baseline.
    const housed = page.locator('tr[data-key="review_housed_stably_m3"] td');
    expect(await housed.nth(1).textContent()).toBe('100%');
    expect(await housed.nth(2).textContent()).toBe('40');
    expect(
      await page.locator('tr[data-key="review_housed_stably_baseline"] td').nth(1).textContent(),
    ).toBe('suppressed');
    expect(failed).toEqual([]);
    await context.close();
  });

  it('refuses the page without a token', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${url}/analytics/dashboard`);
    expect(response?.status()).toBe(401);
    await page.close();
  });

  it('still draws the page, with everything suppressed, for a cohort under 10', async () => {
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${await world.token(['analyst'])}` },
    });
    const page = await context.newPage();
    await page.goto(`${url}/analytics/dashboard?fromYear=2030`);
    expect(await page.locator('figure.chart svg').count()).toBe(4);
    expect(await page.locator('tr[data-key="journeys"] td').nth(1).textContent()).toBe(
      'suppressed',
    );
    await context.close();
  });
});
