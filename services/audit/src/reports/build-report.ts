import type { Principal } from '@waypoint/service-kit';
import { assertOrgAuditable } from '../access.js';
import { decisionLog } from '../decisions/decision-log.js';
import type { AuditDeps } from '../deps.js';
import { answerFinding } from '../findings/finding-answer.js';
import { findingIntegrity, verifyJourney } from '../integrity/journey-integrity.js';
import { auditOf, iso } from '../journey-audit.js';
import { readJourney } from '../journey-reader.js';
import type { Period } from '../route-schemas.js';
import { auditJourney, profileAt } from '../rules/evaluate.js';
import type { AuditReport, ReportFinding } from './audit-report.js';

/** Whether a finding falls in the period: from inclusive, to exclusive, either end open. */
const inPeriod = (occurredAt: string, from?: string, to?: string): boolean =>
  (from === undefined || occurredAt >= iso(from)) && (to === undefined || occurredAt < iso(to));

/** The report of one journey the caller may see: its findings in the period, as of a date. */
export async function journeyReport(
  deps: AuditDeps,
  principal: Principal,
  journeyId: string,
  query: Period,
): Promise<AuditReport> {
  const audited = await auditOf(deps, principal, journeyId, query.asOf);
  const integrity = await verifyJourney(deps.store, journeyId, audited.journey.personId);
  const profile = profileAt(deps.profiles, audited.journey.jurisdiction, audited.asOf);
  return {
    kind: 'journey',
    subjectId: journeyId,
    from: query.from === undefined ? 'start' : iso(query.from),
    to: query.to === undefined ? audited.asOf : iso(query.to),
    asOf: audited.asOf,
    generatedAt: deps.now().toISOString(),
    journeys: 1,
    findings: audited.evaluation.findings
      .filter((finding) => inPeriod(finding.occurredAt, query.from, query.to))
      .map((finding): ReportFinding =>
        answerFinding({ ...finding, journeyId }, findingIntegrity(integrity)),
      ),
    integrity: {
      streamsChecked: integrity.streams.length,
      broken: integrity.streams.filter((stream) => !stream.ok).map((stream) => stream.stream),
    },
    decisions: decisionLog({
      recorded: audited.recorded,
      timeZone: profile.timeZone,
      findings: [],
    }).length,
  };
}

/**
 * The report of every journey an organisation opened, for a caller who may audit it: each journey
 * judged as of the same date, its findings in the period, ordered by time then rule.
 */
export async function organisationReport(
  deps: AuditDeps,
  principal: Principal,
  orgId: string,
  query: Period,
): Promise<AuditReport> {
  await assertOrgAuditable(deps, principal, orgId);
  const asOf = query.asOf === undefined ? deps.now().toISOString() : iso(query.asOf);
  const journeys = [...(await deps.journeys.current()).values()].filter(
    (journey) => journey.openedByOrgId === orgId,
  );
  const findings: ReportFinding[] = [];
  let streamsChecked = 0;
  let decisions = 0;
  const broken: string[] = [];
  for (const journey of journeys) {
    const recorded = await readJourney(deps.store, journey);
    const evaluation = auditJourney({
      journeyId: journey.journeyId,
      recorded,
      profiles: deps.profiles,
      asOf,
    });
    if (!evaluation) continue;
    const integrity = await verifyJourney(deps.store, journey.journeyId, journey.personId);
    for (const finding of evaluation.findings)
      if (inPeriod(finding.occurredAt, query.from, query.to))
        findings.push(
          answerFinding({ ...finding, journeyId: journey.journeyId }, findingIntegrity(integrity)),
        );
    streamsChecked += integrity.streams.length;
    broken.push(...integrity.streams.filter((stream) => !stream.ok).map((stream) => stream.stream));
    const profile = profileAt(deps.profiles, journey.jurisdiction, asOf);
    decisions += decisionLog({ recorded, timeZone: profile.timeZone, findings: [] }).length;
  }
  findings.sort(
    (a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.ruleId.localeCompare(b.ruleId),
  );
  return {
    kind: 'organisation',
    subjectId: orgId,
    from: query.from === undefined ? 'start' : iso(query.from),
    to: query.to === undefined ? asOf : iso(query.to),
    asOf,
    generatedAt: deps.now().toISOString(),
    journeys: journeys.length,
    findings,
    integrity: { streamsChecked, broken },
    decisions,
  };
}
