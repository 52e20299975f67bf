import { readableCategories, type Role } from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import type { OpenJourney } from '@waypoint/journey-facts';
import { revealSealed, sealEvent } from '@waypoint/privacy';
import {
  commandContext,
  HttpProblem,
  accessRecordOf,
  recordAccess,
  result,
  runIdempotently,
  type Principal,
} from '@waypoint/service-kit';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertOrgAuditable, auditableOrgIds, visibleJourney } from './access.js';
import { ACCESS_LOG_PROJECTION, listAccess } from './access-log/access-log-projection.js';
import { decisionLog } from './decisions/decision-log.js';
import type { AuditDeps } from './deps.js';
import { auditFamily, FINDING_REASON_CODES } from './findings/audit-family.js';
import { answerFinding, type FindingIntegrity } from './findings/finding-answer.js';
import {
  decideReview,
  ReviewRefused,
  statusAfter,
  type ReviewStatus,
} from './findings/domain/lifecycle.js';
import { FINDINGS_PROJECTION } from './findings/findings-projection.js';
import { listAlerts, listFindings } from './findings/findings-queries.js';
import { publishDigest, verifyAgainstLatestDigest } from './integrity/digests.js';
import {
  brokenFindingStreams,
  findingIntegrity,
  verifyJourney,
  type JourneyIntegrity,
} from './integrity/journey-integrity.js';
import { readJourney } from './journey-reader.js';
import {
  reportCsv,
  reportHtml,
  type AuditReport,
  type ReportFinding,
} from './reports/audit-report.js';
import { auditJourney, findingKey, profileAt, type Evaluation } from './rules/evaluate.js';
import { streams } from './streams.js';

/** Only auditors and supervisors call the audit service. */
const AUDITORS: readonly Role[] = ['auditor', 'supervisor'];
const access = { access: { roles: AUDITORS } };

const journeyParams = z.object({ journeyId: z.uuid() });
const orgParams = z.object({ orgId: z.uuid() });
const instant = z.iso.datetime({ offset: true });
const period = z.object({
  from: instant.optional(),
  to: instant.optional(),
  asOf: instant.optional(),
});

const findingSchema = z.object({
  findingKey: z.string(),
  ruleId: z.string(),
  ruleVersion: z.number().int(),
  severity: z.enum(['breach', 'flag']),
  occurredAt: z.string(),
  evidenceEventIds: z.array(z.string()).readonly(),
  reason: z.string(),
  citations: z
    .array(z.object({ instrument: z.string(), article: z.string() }))
    .readonly()
    .describe('The legal sources the rule version cites, from the rule catalogue.'),
  integrity: z
    .enum(['verified', 'unverifiable'])
    .describe(
      "unverifiable when a hash chain of the journey's event streams is broken: the finding may rest on altered events.",
    ),
});
const integritySchema = z.object({
  status: z.enum(['verified', 'unverifiable']),
  brokenStreams: z.array(z.string()).readonly(),
});
const evaluationSchema = z.object({
  journeyId: z.uuid(),
  asOf: z.string(),
  jurisdiction: z.string(),
  profile: z.object({ jurisdiction: z.string(), version: z.number().int() }),
  rules: z.array(z.object({ id: z.string(), version: z.number().int() })).readonly(),
  integrity: integritySchema,
  findings: z.array(findingSchema),
});

/** A row of a read model or report, documented as an object with its own fields. */
const row = z.unknown().meta({ type: 'object', additionalProperties: true });

/** An audit report in JSON; no personal data. */
const reportAnswer = z.object({
  kind: z.enum(['journey', 'organisation']),
  subjectId: z.string(),
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  generatedAt: z.string(),
  journeys: z.number().int(),
  findings: z.array(row).readonly(),
  integrity: z.object({ streamsChecked: z.number().int(), broken: z.array(z.string()).readonly() }),
  decisions: z.number().int(),
});

const iso = (value: string): string => new Date(value).toISOString();

interface JourneyAudit {
  readonly journey: OpenJourney;
  readonly recorded: RecordedEvent[];
  readonly evaluation: Evaluation;
  readonly asOf: string;
}

export function auditRoutes(deps: AuditDeps): FastifyPluginCallbackZod {
  /** Audits one journey the caller may see, from the store, as of a date (default now). */
  const auditOf = async (
    principal: Principal,
    journeyId: string,
    asOf?: string,
  ): Promise<JourneyAudit> => {
    const journey = await visibleJourney(deps, principal, journeyId);
    const recorded = await readJourney(deps.store, journey);
    const at = asOf === undefined ? deps.now().toISOString() : iso(asOf);
    const evaluation = auditJourney({ journeyId, recorded, profiles: deps.profiles, asOf: at });
    if (!evaluation) throw new HttpProblem('NOT_FOUND', 'No such journey as of that date');
    return { journey, recorded, evaluation, asOf: at };
  };

  const withKeys = (journeyId: string, evaluation: Evaluation, integrity: JourneyIntegrity) =>
    evaluation.findings.map((finding) => ({
      findingKey: findingKey(journeyId, finding),
      ...answerFinding(finding, findingIntegrity(integrity)),
    }));

  const integrityOf = (integrity: JourneyIntegrity) => ({
    status: findingIntegrity(integrity),
    brokenStreams: brokenFindingStreams(integrity),
  });

  /**
   * Verifies the streams of each journey once: what the read model's findings are worth now. A
   * journey no longer in the directory cannot be verified, so its findings are not vouched for.
   */
  const integrityOfJourneys = async (
    journeyIds: readonly string[],
  ): Promise<Map<string, FindingIntegrity>> => {
    const directory = await deps.journeys.current();
    const result = new Map<string, FindingIntegrity>();
    for (const journeyId of new Set(journeyIds)) {
      const journey = directory.get(journeyId);
      if (!journey) continue;
      result.set(
        journeyId,
        findingIntegrity(await verifyJourney(deps.store, journeyId, journey.personId)),
      );
    }
    return result;
  };

  const inPeriod = (occurredAt: string, from?: string, to?: string): boolean =>
    (from === undefined || occurredAt >= iso(from)) && (to === undefined || occurredAt < iso(to));

  const journeyReport = async (
    principal: Principal,
    journeyId: string,
    query: z.infer<typeof period>,
  ): Promise<AuditReport> => {
    const audited = await auditOf(principal, journeyId, query.asOf);
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
  };

  const organisationReport = async (
    principal: Principal,
    orgId: string,
    query: z.infer<typeof period>,
  ): Promise<AuditReport> => {
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
            answerFinding(
              { ...finding, journeyId: journey.journeyId },
              findingIntegrity(integrity),
            ),
          );
      streamsChecked += integrity.streams.length;
      broken.push(
        ...integrity.streams.filter((stream) => !stream.ok).map((stream) => stream.stream),
      );
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
  };

  return (app, _options, done) => {
    app.get(
      '/audit/journeys/:journeyId/findings',
      {
        schema: {
          summary:
            'Audit a journey as of a date: what was known then, judged by the rules in force then',
          tags: ['audit'],
          params: journeyParams,
          querystring: z.object({ asOf: instant.optional() }),
          response: { 200: evaluationSchema },
        },
        config: access,
      },
      async (request) => {
        const audited = await auditOf(
          request.principal,
          request.params.journeyId,
          request.query.asOf,
        );
        const integrity = await verifyJourney(
          deps.store,
          audited.journey.journeyId,
          audited.journey.personId,
        );
        return {
          ...audited.evaluation,
          asOf: audited.asOf,
          integrity: integrityOf(integrity),
          findings: withKeys(request.params.journeyId, audited.evaluation, integrity),
        };
      },
    );

    app.get(
      '/audit/organisations/:orgId/findings',
      {
        schema: {
          summary: 'Audit every journey an organisation opened, over a period, as of a date',
          tags: ['audit'],
          params: orgParams,
          querystring: period,
          response: {
            200: z.object({
              orgId: z.uuid(),
              asOf: z.string(),
              journeys: z.number().int(),
              findings: z.array(findingSchema.extend({ journeyId: z.string() })),
            }),
          },
        },
        config: access,
      },
      async (request) => {
        const report = await organisationReport(
          request.principal,
          request.params.orgId,
          request.query,
        );
        return {
          orgId: request.params.orgId,
          asOf: report.asOf,
          journeys: report.journeys,
          findings: report.findings.map((finding) => ({
            findingKey: findingKey(finding.journeyId, finding),
            ...finding,
          })),
        };
      },
    );

    app.get(
      '/audit/findings',
      {
        schema: {
          summary: 'Findings as the read model holds them, with their review status',
          description:
            'Kept up to date as events arrive, and re-evaluated against the clock by a scheduler.',
          tags: ['audit'],
          querystring: z.object({
            journeyId: z.uuid().optional(),
            orgId: z.uuid().optional(),
            from: instant.optional(),
            to: instant.optional(),
            includeResolved: z.enum(['true', 'false']).optional(),
          }),
          response: {
            200: z.object({
              findings: z
                .array(row)
                .readonly()
                .describe('Each finding with its review status, citations and integrity'),
            }),
          },
        },
        config: access,
      },
      async (request) => {
        const { journeyId, orgId, from, to, includeResolved } = request.query;
        let orgIds: string[] | undefined;
        if (journeyId !== undefined) await visibleJourney(deps, request.principal, journeyId);
        else {
          const auditable = await auditableOrgIds(deps, request.principal);
          if (orgId !== undefined && !auditable.has(orgId))
            throw new HttpProblem('NOT_FOUND', 'No such organisation in your mandate');
          orgIds = orgId === undefined ? [...auditable] : [orgId];
        }
        const schema = await deps.readModels.schemaOf(FINDINGS_PROJECTION);
        const findings = await listFindings(deps.readModels.db, schema, {
          ...(journeyId === undefined ? {} : { journeyId }),
          ...(orgIds === undefined ? {} : { orgIds }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          includeResolved: includeResolved === 'true',
        });
        const integrity = await integrityOfJourneys(findings.map((finding) => finding.journeyId));
        return {
          findings: findings.map((finding) =>
            answerFinding(finding, integrity.get(finding.journeyId) ?? 'unverifiable'),
          ),
        };
      },
    );

    app.get(
      '/audit/alerts',
      {
        schema: {
          summary: 'Alerts raised for new breaches, after a sequence number',
          tags: ['audit'],
          querystring: z.object({ after: z.coerce.number().int().nonnegative().optional() }),
          response: { 200: z.object({ alerts: z.array(row).readonly() }) },
        },
        config: access,
      },
      async (request) => {
        const orgIds = [...(await auditableOrgIds(deps, request.principal))];
        const schema = await deps.readModels.schemaOf(FINDINGS_PROJECTION);
        return {
          alerts: await listAlerts(deps.readModels.db, schema, {
            orgIds,
            ...(request.query.after === undefined ? {} : { after: request.query.after }),
          }),
        };
      },
    );

    app.post(
      '/audit/journeys/:journeyId/findings/reviews',
      {
        schema: {
          summary: 'Acknowledge or dismiss a flag, or annotate any finding, with a reason',
          description:
            'A breach cannot be dismissed or acknowledged, only annotated. Every review is an event in the audit stream.',
          tags: ['audit'],
          params: journeyParams,
          body: z.object({
            findingKey: z.string().min(1).max(2_000),
            action: z.enum(['acknowledge', 'dismiss', 'annotate']),
            reasonCode: z.enum(FINDING_REASON_CODES),
            note: z.string().trim().min(1).max(4_000).optional(),
          }),
          response: {
            201: z.object({
              findingKey: z.string(),
              reviewStatus: z.enum(['open', 'acknowledged', 'dismissed']),
            }),
          },
        },
        config: access,
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const audited = await auditOf(request.principal, journeyId);
          const finding = audited.evaluation.findings.find(
            (candidate) => findingKey(journeyId, candidate) === request.body.findingKey,
          );
          if (!finding)
            throw new HttpProblem(
              'NOT_FOUND',
              'No such finding in the current audit of this journey',
            );
          const stream = streams.audit(journeyId);
          let status: ReviewStatus = 'open';
          for await (const recorded of deps.store.readStream(stream)) {
            const event = auditFamily.decode(recorded);
            if (event.data.findingKey === request.body.findingKey)
              status = statusAfter(status, event.type);
          }
          const revision = await deps.store.streamRevision(stream);
          let type;
          try {
            type = decideReview(finding.severity, status, request.body.action);
          } catch (error) {
            if (error instanceof ReviewRefused)
              throw new HttpProblem('CONFLICT', `${error.code}: ${error.message}`);
            throw error;
          }
          const now = deps.now();
          const eventId = deps.newId();
          const encoded = auditFamily.encode({
            type,
            data: {
              findingKey: request.body.findingKey,
              journeyId,
              ruleId: finding.ruleId,
              reasonCode: request.body.reasonCode,
              ...(request.body.note === undefined ? {} : { note: request.body.note }),
            },
          });
          const data = await sealEvent(
            auditFamily,
            deps.cipher,
            encoded,
            eventId,
            audited.journey.personId,
          );
          const context = commandContext(request, now);
          await deps.store.append(
            stream,
            [
              {
                id: eventId,
                ...encoded,
                data,
                metadata: {
                  occurredAt: now.toISOString(),
                  actor: context.actor,
                  correlationId: context.correlationId,
                  causationId: context.causationId,
                },
              },
            ],
            { expectedRevision: revision ?? 'no_stream' },
          );
          return result(201, {
            findingKey: request.body.findingKey,
            reviewStatus: statusAfter(status, type),
          });
        }),
    );

    app.get(
      '/audit/journeys/:journeyId/decisions',
      {
        schema: {
          summary: 'Every decision of a journey, with who, on what basis, and what was known then',
          description:
            'Free-text rationale is shown only to roles allowed the notes category; showing it is recorded in the access log.',
          tags: ['audit'],
          params: journeyParams,
          response: {
            200: z.object({
              journeyId: z.uuid(),
              integrity: z.looseObject({}),
              decisions: z
                .unknown()
                .describe(
                  'Each decision with who, on what basis, what was known then, and its findings',
                ),
            }),
          },
        },
        config: access,
      },
      async (request) => {
        const principal = request.principal;
        const audited = await auditOf(principal, request.params.journeyId);
        const profile = profileAt(deps.profiles, audited.journey.jurisdiction, audited.asOf);
        const integrity = await verifyJourney(
          deps.store,
          audited.journey.journeyId,
          audited.journey.personId,
        );
        const entries = decisionLog({
          recorded: audited.recorded,
          timeZone: profile.timeZone,
          findings: audited.evaluation.findings,
        }).map((entry) => ({
          ...entry,
          findings: entry.findings.map((finding) =>
            answerFinding(finding, findingIntegrity(integrity)),
          ),
        }));
        const { value, categories } = await revealSealed(
          entries,
          deps.cipher,
          readableCategories(principal.roles),
        );
        if (categories.size > 0)
          await recordAccess(
            deps.store,
            streams.access(request.params.journeyId),
            accessRecordOf(
              request,
              { kind: 'journey', id: request.params.journeyId },
              [...categories],
              'GET /audit/journeys/:journeyId/decisions',
            ),
            deps.newId,
            deps.now(),
          );
        return {
          journeyId: request.params.journeyId,
          integrity: integrityOf(integrity),
          decisions: value,
        };
      },
    );

    app.get(
      '/audit/journeys/:journeyId/integrity',
      {
        schema: {
          summary: 'Verify the hash chain of every stream of a journey',
          tags: ['integrity'],
          params: journeyParams,
          response: {
            200: row.describe('The verification of every stream of the journey'),
          },
        },
        config: access,
      },
      async (request) => {
        const journey = await visibleJourney(deps, request.principal, request.params.journeyId);
        return verifyJourney(deps.store, journey.journeyId, journey.personId);
      },
    );

    app.post(
      '/audit/integrity/digests',
      {
        schema: {
          summary: 'Publish a signed digest of every stream head now',
          tags: ['integrity'],
          response: {
            201: z.object({
              createdAt: z.string(),
              position: z.string().describe('The log position the digest covers'),
              streams: z.number().int().describe('How many stream heads it signs'),
              keyId: z.string(),
            }),
          },
        },
        config: access,
      },
      async (_request, reply) => {
        const digest = await publishDigest(
          deps.store,
          deps.digests.log,
          deps.digests.keys,
          deps.now(),
        );
        void reply.status(201);
        return {
          createdAt: digest.createdAt,
          position: digest.position,
          streams: digest.heads.length,
          keyId: digest.keyId,
        };
      },
    );

    app.get(
      '/audit/integrity/digests/verification',
      {
        schema: {
          summary: 'Check the store against the latest signed digest',
          description: 'Names truncated tails, deleted streams and recomputed chains.',
          tags: ['integrity'],
          response: {
            200: z
              .looseObject({})
              .describe('Whether the store still matches the latest signed digest'),
          },
        },
        config: access,
      },
      async () =>
        verifyAgainstLatestDigest(deps.store, deps.digests.log, deps.digests.keys.publicKey),
    );

    app.get(
      '/audit/access-log',
      {
        schema: {
          summary: "Who read which journey's personal data, and when",
          tags: ['audit'],
          querystring: z.object({
            journeyId: z.uuid().optional(),
            userId: z
              .string()
              .min(1)
              .max(200)
              .refine(
                (value) => !Array.from(value).some((char) => char < ' ' || char === '\u007f'),
                'must not contain control characters',
              )
              .optional(),
            from: instant.optional(),
            to: instant.optional(),
          }),
          response: { 200: z.object({ entries: z.array(row).readonly() }) },
        },
        config: access,
      },
      async (request) => {
        const { journeyId, userId, from, to } = request.query;
        let subjectIds: string[];
        if (journeyId !== undefined) {
          const journey = await visibleJourney(deps, request.principal, journeyId);
          subjectIds = [journey.journeyId, journey.personId];
        } else {
          const orgs = await auditableOrgIds(deps, request.principal);
          subjectIds = [...(await deps.journeys.current()).values()]
            .filter((journey) => orgs.has(journey.openedByOrgId))
            .flatMap((journey) => [journey.journeyId, journey.personId]);
        }
        const schema = await deps.readModels.schemaOf(ACCESS_LOG_PROJECTION);
        return {
          entries: await listAccess(deps.readModels.db, schema, {
            subjectIds,
            ...(userId === undefined ? {} : { userId }),
            ...(from === undefined ? {} : { from }),
            ...(to === undefined ? {} : { to }),
          }),
        };
      },
    );

    const format = z.object({ format: z.enum(['json', 'csv', 'html']).default('json') });
    const send = (
      reply: { type: (contentType: string) => unknown },
      report: AuditReport,
      kind: 'json' | 'csv' | 'html',
    ) => {
      if (kind === 'csv') {
        reply.type('text/csv; charset=utf-8');
        return reportCsv(report);
      }
      if (kind === 'html') {
        reply.type('text/html; charset=utf-8');
        return reportHtml(report);
      }
      return report;
    };

    app.get(
      '/audit/reports/journeys/:journeyId',
      {
        schema: {
          summary: 'Audit report of a journey: JSON, CSV or printable HTML; no personal data',
          tags: ['reports'],
          params: journeyParams,
          querystring: period.extend(format.shape),
          response: {
            200: {
              description: 'The report, in the `format` asked for',
              content: {
                'application/json': { schema: reportAnswer },
                'text/csv': { schema: z.string() },
                'text/html': { schema: z.string() },
              },
            },
          },
        },
        config: access,
      },
      async (request, reply) => {
        const { format: kind, ...query } = request.query;
        return send(
          reply,
          await journeyReport(request.principal, request.params.journeyId, query),
          kind,
        );
      },
    );

    app.get(
      '/audit/reports/organisations/:orgId',
      {
        schema: {
          summary:
            'Audit report of an organisation over a period: JSON, CSV or printable HTML; no personal data',
          tags: ['reports'],
          params: orgParams,
          querystring: period.extend(format.shape),
          response: {
            200: {
              description: 'The report, in the `format` asked for',
              content: {
                'application/json': { schema: reportAnswer },
                'text/csv': { schema: z.string() },
                'text/html': { schema: z.string() },
              },
            },
          },
        },
        config: access,
      },
      async (request, reply) => {
        const { format: kind, ...query } = request.query;
        return send(
          reply,
          await organisationReport(request.principal, request.params.orgId, query),
          kind,
        );
      },
    );
    done();
  };
}
