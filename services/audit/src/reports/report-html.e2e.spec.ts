import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REQUIRE_SERVICES } from '@waypoint/testing';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFinding } from '../findings/finding-answer.js';
import { auditJourney } from '../rules/evaluate.js';
import { compliantAdultJourney, NL_PROFILE } from '../testing/journeys.js';
import { reportHtml, type AuditReport } from './audit-report.js';

/**
 * The printable report as a person sees it: rendered by headless Chromium (Debian's package; CI
 * installs it), asserted on the page, and kept as a PNG for a human look.
 */
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  if (REQUIRE_SERVICES) throw new Error(`${CHROMIUM} is missing and WAYPOINT_REQUIRE_SERVICES=1`);
  process.stderr.write(
    `report-html.e2e: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium)\n`,
  );
}

function sampleReport(): AuditReport {
  const { journey, now } = compliantAdultJourney({ omit: ['care', 'legalAid'] });
  journey.legal({
    type: 'RemovalEnforced',
    data: {
      actingBody: { type: 'Police', name: 'Police unit' },
      occurredOn: '2025-03-20',
      kind: 'expulsion',
    },
  });
  const findings =
    auditJourney({
      journeyId: journey.journeyId,
      recorded: journey.recorded,
      profiles: [NL_PROFILE],
      asOf: now,
    })?.findings ?? [];
  return {
    kind: 'journey',
    subjectId: journey.journeyId,
    from: 'start',
    to: now,
    asOf: now,
    generatedAt: '2026-01-05T10:00:00.000Z',
    journeys: 1,
    findings: findings.map((finding) =>
      answerFinding({ ...finding, journeyId: journey.journeyId }, 'unverifiable'),
    ),
    integrity: { streamsChecked: 6, broken: [`legal-${journey.journeyId}`] },
    decisions: 9,
  };
}

describe.skipIf(!available)('the printable HTML report in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
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
  });

  it('renders the totals and one table row per finding, needs no network, and is not blank', async () => {
    const report = sampleReport();
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.setContent(reportHtml(report), { waitUntil: 'load' });

    expect(await page.locator('h1').innerText()).toBe('Compliance audit report');
    expect(await page.locator('#findings tbody tr').count()).toBe(report.findings.length);
    expect(report.findings.length).toBeGreaterThanOrEqual(5);
    expect(await page.locator('.card.breach strong').first().innerText()).toBe(
      String(report.findings.filter((finding) => finding.severity === 'breach').length),
    );
    expect(await page.locator('#summary').innerText()).toContain('RR-02');
    // Each finding cites its rule's sources and, its journey's chain broken, is marked unverifiable.
    const firstRow = await page.locator('#findings tbody tr').first().innerText();
    expect(firstRow).toContain(report.findings[0]?.citations[0]?.article ?? 'no citation');
    expect(firstRow.toLowerCase()).toContain('unverifiable');
    expect(requests.filter((url) => !url.startsWith('about:') && !url.startsWith('data:'))).toEqual(
      [],
    );

    const screenshot = await page.screenshot({ fullPage: true });
    const blankPage = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await blankPage.setContent('<!doctype html><html><body></body></html>');
    const blank = await blankPage.screenshot({ fullPage: true });
    expect(screenshot.length).toBeGreaterThan(blank.length * 5);
    await writeFile(join(tmpdir(), 'waypoint-audit-report.png'), screenshot);

    await page.emulateMedia({ media: 'print' });
    expect(await page.evaluate('getComputedStyle(document.body).marginTop')).toBe('0px');
    await page.close();
    await blankPage.close();
  });
});
