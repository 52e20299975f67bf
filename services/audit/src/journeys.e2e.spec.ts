import type { Role } from '@waypoint/contracts';
import type { EventStore } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { http } from '@waypoint/service-kit/testing';
import type { FastifyInstance } from 'fastify';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTestWorld, type AuditTestWorld } from './testing/test-app.js';

/**
 * End to end over HTTP: a journey recorded through the write services' own APIs (identification
 * and legal), on one in-memory store shared with the audit service, then audited.
 */

interface ServiceWorld {
  readonly app: { inject: FastifyInstance['inject'] };
  token(roles: readonly Role[], org?: string, sub?: string): Promise<string>;
  close(): Promise<void>;
}
type WorldFactory = (options: { store?: EventStore }) => Promise<ServiceWorld>;

/**
 * The write services' test worlds, loaded by path: the audit package does not depend on the
 * services (see the report: adding them as devDependencies would let this be a static import).
 */
async function serviceWorld(service: string, store: EventStore): Promise<ServiceWorld> {
  const url = new URL(`../../${service}/src/testing/test-app.ts`, import.meta.url).href;
  const module = (await import(url)) as { testWorld: WorldFactory };
  return module.testWorld({ store });
}

/** The organisation that opens journeys in the identification service's test world. */
const OUTREACH = '0193b000-0000-7000-8000-000000000001';
const today = new Date().toISOString().slice(0, 10);
const daysFromToday = (days: number): string =>
  new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('a journey recorded through the write services, audited', () => {
  const store = new MemoryEventStore();
  let identification: ServiceWorld;
  let legal: ServiceWorld;
  let audit: AuditTestWorld;
  let journeyId: string;

  beforeAll(async () => {
    identification = await serviceWorld('identification', store);
    legal = await serviceWorld('legal', store);
    audit = await auditTestWorld({ store });

    const caseworker = await identification.token(['caseworker'], OUTREACH);
    const registered = await http(identification.app)
      .post('/persons', {
        identity: { givenName: 'Amara', familyName: `Okafor-${v7()}` },
        gender: 'Feminine',
        ageBand: '24-26',
        child: 'no',
        citizenship: ['NG'],
        languages: ['en'],
      })
      .as(caseworker)
      .expect(201);
    const { personId } = registered.body as { personId: string };
    const opened = await http(identification.app)
      .post('/journeys', { personId, jurisdiction: 'NL' })
      .as(caseworker)
      .expect(201);
    journeyId = (opened.body as { journeyId: string }).journeyId;
    const record = async (path: string, body: object) =>
      http(identification.app)
        .post(`/journeys/${journeyId}/${path}`, body)
        .as(caseworker)
        .expect(201);
    await record('first-contact', { channel: 'police' });
    await record('indicators', { indicators: ['WithholdsDocuments'], observedByOrgId: OUTREACH });
    await record('consents', {
      consentId: v7(),
      scope: 'services',
      givenBy: 'self',
      informedOf: ['purpose', 'how_to_withdraw'],
    });
    for (const topic of ['rights', 'reflection_period', 'international_protection'])
      await record('information', { topic, language: 'en', interpreterUsed: false });
    await record('reasonable-grounds', {
      outcome: 'positive',
      decidingBody: { type: 'Police', name: 'Anti-trafficking unit' },
      reasonCodes: ['indicators_present'],
      legalBasis: 'Aliens Act B8/3',
    });

    // The immigration authority grants only 20 days, and the person is expelled during them.
    const advisor = await legal.token(['legal_advisor'], OUTREACH);
    const authority = { type: 'ImmigrationAuthority', name: 'Immigration service' };
    await http(legal.app)
      .post(`/journeys/${journeyId}/legal/reflection-periods`, {
        actingBody: authority,
        occurredOn: today,
        start: today,
        end: daysFromToday(20),
      })
      .as(advisor)
      .expect(201);
    await http(legal.app)
      .post(`/journeys/${journeyId}/legal/removals`, {
        actingBody: authority,
        occurredOn: today,
        kind: 'expulsion',
      })
      .as(advisor)
      .expect(201);
    await audit.engine.whenCaughtUp();
  }, 60_000);
  afterAll(async () => {
    await audit.close();
    await legal.close();
    await identification.close();
  });

  it('the on-demand audit finds the short reflection period, the expulsion during it, and judges the expulsion as a return', async () => {
    const supervisor = await audit.token(['supervisor'], OUTREACH);
    const response = await http(audit.app)
      .get(`/audit/journeys/${journeyId}/findings`)
      .as(supervisor)
      .expect(200);
    const { findings, profile, integrity } = response.body as {
      findings: {
        ruleId: string;
        severity: string;
        reason: string;
        integrity: string;
        citations: { instrument: string; article: string }[];
      }[];
      profile: { jurisdiction: string; version: number };
      integrity: { status: string; brokenStreams: string[] };
    };
    expect(profile).toEqual({ jurisdiction: 'NL', version: 1 });
    expect(integrity).toEqual({ status: 'verified', brokenStreams: [] });
    // The legal service's expulsion is a return: no risk assessment, no reception arranged.
    expect(findings.map((finding) => [finding.ruleId, finding.severity, finding.reason])).toEqual([
      ['RR-01', 'breach', 'reflection_period_shorter_than_30_days'],
      ['RR-02', 'breach', 'removal_during_reflection_period'],
      ['RT-01', 'breach', 'return_without_risk_assessment'],
      ['RT-05', 'flag', 'reception_not_arranged'],
    ]);
    expect(findings.every((finding) => finding.integrity === 'verified')).toBe(true);
    expect(findings[0]?.citations).toEqual([{ instrument: 'CoE CETS 197', article: 'Art. 13(1)' }]);
  });

  it('the findings read model and its alerts agree', async () => {
    const supervisor = await audit.token(['supervisor'], OUTREACH);
    const listed = await http(audit.app)
      .get(`/audit/findings?journeyId=${journeyId}`)
      .as(supervisor)
      .expect(200);
    expect(
      (listed.body as { findings: { ruleId: string }[] }).findings.map((finding) => finding.ruleId),
    ).toEqual(['RR-01', 'RR-02', 'RT-01', 'RT-05']);
    const alerts = await http(audit.app).get('/audit/alerts').as(supervisor).expect(200);
    expect(
      (alerts.body as { alerts: { journeyId: string }[] }).alerts.every(
        (alert) => alert.journeyId === journeyId,
      ),
    ).toBe(true);
    expect((alerts.body as { alerts: unknown[] }).alerts).toHaveLength(3);
  });

  it('the decision log names the deciding bodies and the legal basis', async () => {
    const supervisor = await audit.token(['supervisor'], OUTREACH);
    const response = await http(audit.app)
      .get(`/audit/journeys/${journeyId}/decisions`)
      .as(supervisor)
      .expect(200);
    const { decisions } = response.body as {
      decisions: {
        type: string;
        decidingBody?: { name: string };
        legalBasis?: string;
        findings: { ruleId: string }[];
      }[];
    };
    // In occurrence order: the authority's facts are dated by day (00:00Z today), before the opening.
    expect(decisions.map((decision) => decision.type)).toEqual([
      'RecoveryReflectionPeriodGranted',
      'RemovalEnforced',
      'JourneyOpened',
      'ReasonableGroundsDecided',
    ]);
    expect(
      decisions.find((decision) => decision.type === 'ReasonableGroundsDecided'),
    ).toMatchObject({
      decidingBody: { name: 'Anti-trafficking unit' },
      legalBasis: 'Aliens Act B8/3',
    });
    expect(
      decisions
        .find((decision) => decision.type === 'RemovalEnforced')
        ?.findings.map((finding) => finding.ruleId),
    ).toEqual(['RR-02', 'RT-01', 'RT-05']);
  });

  it('an organisation report lists the findings; every stream of the journey verifies', async () => {
    const supervisor = await audit.token(['supervisor'], OUTREACH);
    const report = await http(audit.app)
      .get(`/audit/reports/organisations/${OUTREACH}`)
      .as(supervisor)
      .expect(200);
    expect(report.body).toMatchObject({
      kind: 'organisation',
      journeys: 1,
      integrity: { broken: [] },
    });
    expect(report.text).not.toContain('Amara');
  });
});
