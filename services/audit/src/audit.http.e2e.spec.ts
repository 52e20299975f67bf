import { FieldCipher } from '@waypoint/privacy';
import { expectDeclaredAccessEnforced } from '@waypoint/service-kit/testing';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG } from './testing/journey-builder.js';
import { compliantAdultJourney, OTHER_ORG } from './testing/journeys.js';
import { appendRecorded } from './testing/seed.js';
import { auditTestWorld, type AuditTestWorld } from './testing/test-app.js';

/**
 * The audit service over HTTP on one in-memory store: who may audit what, the as-of audit, the
 * findings read model and its reviews, the decision log's sealed rationale, integrity and reports.
 */
/** The findings of the journey below: the referral, then the expulsion, judged also as a return. */
const JUDGED = ['RF-01', 'ID-03', 'RR-02', 'RT-01', 'RT-05', 'RT-06', 'RT-06', 'RT-06'];

describe('the audit service over HTTP', () => {
  let world: AuditTestWorld;
  const built = compliantAdultJourney();
  const { journey, ids } = built;
  let referral: string;
  let removal: string;
  let beforeRemovalKnown: string;
  const get = async (url: string, token: string) =>
    world.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    world = await auditTestWorld();
    // A referral on a supervisor's override (its reason encrypted), and a removal during the reflection period.
    referral = journey.id();
    journey.identification('2025-03-05T10:00:00Z', {
      type: 'ReferralMade',
      data: {
        referralId: journey.id(),
        toOrgId: OTHER_ORG,
        reason: 'Other',
        services: [],
        override: {
          supervisorUserId: 'sup-1',
          reason: await new FieldCipher(world.keys).encrypt(
            journey.personId,
            'notes',
            'urgent medical need',
            {
              eventId: referral,
              path: 'data.override.reason',
            },
          ),
        },
      },
    });
    const last = journey.recorded.at(-1);
    if (last) journey.recorded[journey.recorded.length - 1] = { ...last, id: referral };
    removal = journey.legal({
      type: 'RemovalEnforced',
      data: {
        actingBody: { type: 'Police', name: 'Police unit' },
        occurredOn: '2025-03-20',
        kind: 'expulsion',
      },
    });
    // Everything but the removal is known first; the removal is learnt a moment later.
    await appendRecorded(world.store, journey.recorded.slice(0, -1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    beforeRemovalKnown = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await appendRecorded(world.store, journey.recorded.slice(-1));
    await world.engine.whenCaughtUp();
  }, 60_000);
  afterAll(async () => {
    await world.close();
  });

  it('401 without a token, 403 for every role but auditor and supervisor, on every route', async () => {
    await expectDeclaredAccessEnforced({
      app: world.app,
      tokenFor: (roles) => world.token(roles, ORG),
      freshId: v7,
      minRoutes: 12,
    });
  });

  it('an auditor without a mandate over the organisation is told the journey does not exist', async () => {
    const response = await get(
      `/audit/journeys/${journey.journeyId}/findings`,
      await world.token(['auditor'], OTHER_ORG, 'no-mandate'),
    );
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('an auditor with a mandate audits the journey, as of now and as of an earlier date', async () => {
    await world.grantMandate('auditor-1', [ORG]);
    const token = await world.token(['auditor'], OTHER_ORG, 'auditor-1');
    const now = await get(`/audit/journeys/${journey.journeyId}/findings`, token);
    expect(now.statusCode).toBe(200);
    const body = now.json<{
      findings: { ruleId: string; severity: string; evidenceEventIds: string[] }[];
    }>();
    // The expulsion is a return too: no risk assessment, reception or reviews after it.
    expect(body.findings.map((finding) => finding.ruleId)).toEqual(JUDGED);
    expect(body.findings[2]?.evidenceEventIds).toEqual([ids.reflection, removal]);
    // As of a moment before the removal was recorded, it was not known: only the referral is judged.
    const before = await get(
      `/audit/journeys/${journey.journeyId}/findings?asOf=${beforeRemovalKnown}`,
      token,
    );
    expect(
      before.json<{ findings: { ruleId: string }[] }>().findings.map((finding) => finding.ruleId),
    ).toEqual(['RF-01']);
    // Before anything was recorded, the journey did not exist yet.
    const never = await get(
      `/audit/journeys/${journey.journeyId}/findings?asOf=2025-03-10T00:00:00Z`,
      token,
    );
    expect(never.statusCode).toBe(404);
  });

  it('lists the read model findings of the organisation and alerts on the breaches', async () => {
    const token = await world.token(['supervisor'], ORG);
    const findings = await get('/audit/findings', token);
    expect(
      findings.json<{ findings: { ruleId: string }[] }>().findings.map((finding) => finding.ruleId),
    ).toEqual(JUDGED);
    const alerts = await get('/audit/alerts', token);
    expect(
      alerts
        .json<{ alerts: { ruleId: string }[] }>()
        .alerts.map((alert) => alert.ruleId)
        .sort(),
    ).toEqual(['ID-03', 'RR-02', 'RT-01']);
  });

  it('a flag can be acknowledged; a breach cannot be dismissed, only annotated; reviews reach the read model', async () => {
    const token = await world.token(['supervisor'], ORG);
    const { findings } = (await get(`/audit/journeys/${journey.journeyId}/findings`, token)).json<{
      findings: { findingKey: string; ruleId: string }[];
    }>();
    const flag = findings.find((finding) => finding.ruleId === 'RF-01');
    const breach = findings.find((finding) => finding.ruleId === 'RR-02');
    const review = (findingKey: string | undefined, action: string) =>
      world.app.inject({
        method: 'POST',
        url: `/audit/journeys/${journey.journeyId}/findings/reviews`,
        headers: { authorization: `Bearer ${token}` },
        payload: {
          findingKey,
          action,
          reasonCode: 'reviewed_justified',
          note: 'checked with the shelter',
        },
      });
    expect((await review(flag?.findingKey, 'acknowledge')).statusCode).toBe(201);
    const refused = await review(breach?.findingKey, 'dismiss');
    expect(refused.statusCode).toBe(409);
    // The refusal's code is its own member of the problem, not folded into the detail.
    expect(refused.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'BREACH_CANNOT_BE_DISMISSED',
      detail: 'A breach cannot be dismissed or acknowledged away, only annotated',
    });
    expect((await review(breach?.findingKey, 'annotate')).statusCode).toBe(201);
    await world.engine.whenCaughtUp();
    const listed = (await get(`/audit/findings?journeyId=${journey.journeyId}`, token)).json<{
      findings: { ruleId: string; reviewStatus: string }[];
    }>();
    expect(listed.findings.map((finding) => [finding.ruleId, finding.reviewStatus])).toEqual(
      JUDGED.map((ruleId) => [ruleId, ruleId === 'RF-01' ? 'acknowledged' : 'open']),
    );
    const stored = [];
    for await (const event of world.store.readStream(`audit-${journey.journeyId}`))
      stored.push(event);
    expect(stored.map((event) => event.type)).toEqual(['FindingAcknowledged', 'FindingAnnotated']);
    expect(JSON.stringify(stored)).not.toContain('checked with the shelter');
  });

  it('the decision log shows the rationale to a supervisor (and records the read), never to an auditor', async () => {
    const supervisor = await get(
      `/audit/journeys/${journey.journeyId}/decisions`,
      await world.token(['supervisor'], ORG, 'sup-reader'),
    );
    const entry = supervisor
      .json<{
        decisions: { eventId: string; rationale: unknown[]; findings: { ruleId: string }[] }[];
      }>()
      .decisions.find((decision) => decision.eventId === referral);
    expect(entry?.rationale).toEqual(['urgent medical need']);
    expect(entry?.findings.map((finding) => finding.ruleId)).toEqual(['RF-01']);
    const auditor = await get(
      `/audit/journeys/${journey.journeyId}/decisions`,
      await world.token(['auditor'], OTHER_ORG, 'auditor-1'),
    );
    expect(auditor.body).not.toContain('urgent medical need');
    expect(auditor.body).toContain('"$hidden":"restricted"');
    await world.engine.whenCaughtUp();
    const log = await get(
      `/audit/access-log?journeyId=${journey.journeyId}`,
      await world.token(['auditor'], OTHER_ORG, 'auditor-1'),
    );
    expect(log.json<{ entries: { userId: string; categories: string[] }[] }>().entries).toEqual([
      expect.objectContaining({ userId: 'sup-reader', categories: ['notes'] }),
    ]);
  });

  it('verifies the hash chains of the journey, and the store against a signed digest', async () => {
    const token = await world.token(['auditor'], OTHER_ORG, 'auditor-1');
    const integrity = (await get(`/audit/journeys/${journey.journeyId}/integrity`, token)).json<{
      ok: boolean;
      streams: unknown[];
    }>();
    expect(integrity.ok).toBe(true);
    expect(integrity.streams.length).toBeGreaterThanOrEqual(5);
    const published = await world.app.inject({
      method: 'POST',
      url: '/audit/integrity/digests',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(published.statusCode).toBe(201);
    const verification = (await get('/audit/integrity/digests/verification', token)).json<{
      status: string;
    }>();
    expect(verification.status).toBe('ok');
  });

  it('reports as JSON, CSV and HTML, with no personal data', async () => {
    const token = await world.token(['auditor'], OTHER_ORG, 'auditor-1');
    const json = await get(`/audit/reports/journeys/${journey.journeyId}`, token);
    expect(json.json<{ findings: unknown[]; journeys: number }>()).toMatchObject({ journeys: 1 });
    const csv = await get(
      `/audit/reports/organisations/${ORG}?format=csv&from=2025-01-01T00:00:00Z`,
      token,
    );
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe(
      'journeyId,ruleId,ruleVersion,severity,occurredAt,reason,evidenceEventIds,integrity,citations',
    );
    expect(csv.body.trim().split('\r\n')).toHaveLength(1 + JUDGED.length);
    const html = await get(`/audit/reports/journeys/${journey.journeyId}?format=html`, token);
    expect(html.headers['content-type']).toContain('text/html');
    for (const body of [json.body, csv.body, html.body]) {
      expect(body).not.toContain('urgent medical need');
      expect(body).not.toContain('Test');
    }
  });
});
