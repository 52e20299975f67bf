import type { EventStore, RecordedEvent } from '@waypoint/eventstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_CATALOGUE } from './rules/catalogue.js';
import { ORG } from './testing/journey-builder.js';
import { compliantAdultJourney, OTHER_ORG } from './testing/journeys.js';
import { appendRecorded } from './testing/seed.js';
import { auditTestWorld, type AuditTestWorld } from './testing/test-app.js';

/**
 * What every findings answer says about each finding: the legal sources its rule cites, and
 * whether the events it was computed from can be trusted. One journey's legal stream is altered in
 * the store after the fact (its hash chain breaks); another journey is left alone.
 */

interface AnsweredFinding {
  readonly ruleId: string;
  readonly journeyId?: string;
  readonly integrity: string;
  readonly citations: readonly { instrument: string; article: string }[];
}

/** An attacker with write access to the store's memory rewrites a stored event's data. */
function alterStoredEvent(
  store: EventStore,
  eventId: string,
  change: (data: Record<string, unknown>) => void,
): void {
  const streams = (store as unknown as { streams: Map<string, RecordedEvent[]> }).streams;
  const event = [...streams.values()].flat().find((candidate) => candidate.id === eventId);
  if (!event) throw new Error('no such event');
  change(event.data);
}

const citationsOf = (ruleId: string) =>
  RULE_CATALOGUE.find((rule) => rule.id === ruleId && rule.version === 1)?.sources;

/** A referral with neither consent nor override: one RF-01 breach in an otherwise compliant journey. */
function journeyWithUnconsentedReferral() {
  const built = compliantAdultJourney();
  built.journey.identification('2025-03-05T10:00:00Z', {
    type: 'ReferralMade',
    data: { referralId: built.journey.id(), toOrgId: OTHER_ORG, reason: 'Other', services: [] },
  });
  return built;
}

describe('findings answers: citations, and integrity of the events behind them', () => {
  let world: AuditTestWorld;
  let token: string;
  const altered = journeyWithUnconsentedReferral();
  const intact = journeyWithUnconsentedReferral();
  const get = async <T>(url: string): Promise<T> => {
    const response = await world.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, url).toBe(200);
    return response.json<T>();
  };
  const byJourney = (findings: readonly AnsweredFinding[]) =>
    Object.fromEntries(
      [altered.journey.journeyId, intact.journey.journeyId].map((journeyId) => [
        journeyId,
        [...new Set(findings.filter((f) => f.journeyId === journeyId).map((f) => f.integrity))],
      ]),
    );

  beforeAll(async () => {
    world = await auditTestWorld();
    token = await world.token(['supervisor'], ORG);
    await appendRecorded(world.store, altered.journey.recorded);
    await appendRecorded(world.store, intact.journey.recorded);
    await world.engine.whenCaughtUp();
    // The reflection period is shortened in place: the rules now judge an altered event.
    alterStoredEvent(world.store, altered.ids.reflection, (data) => {
      data.end = '2025-03-20';
    });
  }, 60_000);
  afterAll(async () => {
    await world.close();
  });

  it("the journey audit marks every finding unverifiable and names the broken stream; each cites its rule's sources", async () => {
    const answer = await get<{
      integrity: { status: string; brokenStreams: string[] };
      findings: AnsweredFinding[];
    }>(`/audit/journeys/${altered.journey.journeyId}/findings`);
    expect(answer.integrity).toEqual({
      status: 'unverifiable',
      brokenStreams: [`legal-${altered.journey.journeyId}`],
    });
    // RR-01 exists only because of the altered period: it must not pass as a verified finding.
    expect(answer.findings.map((finding) => [finding.ruleId, finding.integrity])).toEqual([
      ['RR-01', 'unverifiable'],
      ['RF-01', 'unverifiable'],
    ]);
    for (const finding of answer.findings)
      expect(finding.citations).toEqual(citationsOf(finding.ruleId));
    expect(answer.findings[1]?.citations).toEqual([
      { instrument: 'IOM Data Protection Principles (2009)', article: 'Principle 5' },
      { instrument: 'HTCDS 2.0', article: 'con_Consent' },
    ]);

    const untouched = await get<{ integrity: { status: string }; findings: AnsweredFinding[] }>(
      `/audit/journeys/${intact.journey.journeyId}/findings`,
    );
    expect(untouched.integrity.status).toBe('verified');
    expect(untouched.findings.map((finding) => [finding.ruleId, finding.integrity])).toEqual([
      ['RF-01', 'verified'],
    ]);
  });

  it('the findings read model marks the altered journey unverifiable, the other verified, with citations', async () => {
    const { findings } = await get<{ findings: AnsweredFinding[] }>('/audit/findings');
    expect(byJourney(findings)).toEqual({
      [altered.journey.journeyId]: ['unverifiable'],
      [intact.journey.journeyId]: ['verified'],
    });
    for (const finding of findings) expect(finding.citations).toEqual(citationsOf(finding.ruleId));
    const one = await get<{ findings: AnsweredFinding[] }>(
      `/audit/findings?journeyId=${altered.journey.journeyId}`,
    );
    expect(one.findings.map((finding) => finding.integrity)).toEqual(['unverifiable']);
  });

  it("the organisation's findings and reports (JSON, CSV, HTML) mark them too", async () => {
    const organisation = await get<{ findings: AnsweredFinding[] }>(
      `/audit/organisations/${ORG}/findings`,
    );
    expect(byJourney(organisation.findings)).toEqual({
      [altered.journey.journeyId]: ['unverifiable'],
      [intact.journey.journeyId]: ['verified'],
    });
    for (const finding of organisation.findings)
      expect(finding.citations).toEqual(citationsOf(finding.ruleId));

    const report = await get<{ findings: AnsweredFinding[] }>(
      `/audit/reports/journeys/${altered.journey.journeyId}`,
    );
    expect(report.findings.map((finding) => finding.integrity)).toEqual([
      'unverifiable',
      'unverifiable',
    ]);
    const csv = await world.app.inject({
      method: 'GET',
      url: `/audit/reports/organisations/${ORG}?format=csv`,
      headers: { authorization: `Bearer ${token}` },
    });
    const rows = csv.body.trim().split('\r\n').slice(1);
    expect(rows.filter((row) => row.startsWith(altered.journey.journeyId))).toHaveLength(2);
    for (const row of rows)
      expect(row).toContain(
        row.startsWith(altered.journey.journeyId) ? ',unverifiable,' : ',verified,',
      );
    expect(
      rows.some((row) => row.includes('IOM Data Protection Principles (2009) Principle 5')),
    ).toBe(true);
    const html = await world.app.inject({
      method: 'GET',
      url: `/audit/reports/journeys/${altered.journey.journeyId}?format=html`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(html.body).toContain('<span class="sev unverifiable">unverifiable</span>');
  });

  it('the decision log marks the findings it shows, and says the journey is unverifiable', async () => {
    const log = await get<{
      integrity: { status: string };
      decisions: { findings: AnsweredFinding[] }[];
    }>(`/audit/journeys/${altered.journey.journeyId}/decisions`);
    expect(log.integrity.status).toBe('unverifiable');
    const shown = log.decisions.flatMap((decision) => decision.findings);
    expect(shown.length).toBeGreaterThan(0);
    for (const finding of shown) {
      expect(finding.integrity).toBe('unverifiable');
      expect(finding.citations).toEqual(citationsOf(finding.ruleId));
    }
  });
});
