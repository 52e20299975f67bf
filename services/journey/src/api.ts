import { isEncryptedField, readableCategories, type Role } from '@waypoint/contracts';
import { revealSealed, sealedFrom } from '@waypoint/privacy';
import { HttpProblem, accessRecordOf, recordAccess, type Principal } from '@waypoint/service-kit';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { asOfAnswer, journeyPageAnswer, journeySummaryAnswer, timelineAnswer } from './answers.js';
import type { JourneyDeps } from './deps.js';
import { dueItems } from './summary/domain/due.js';
import { PHASES, type JourneySummary } from './summary/domain/summary.js';
import type { TimelineEntry } from './summary/domain/timeline-entry.js';
import { seesJourney } from './summary/domain/visibility.js';

/** Who follows journeys: everyone who works on one, and the data-protection officer. */
const READERS: readonly Role[] = [
  'caseworker',
  'supervisor',
  'shelter_staff',
  'care_provider',
  'legal_advisor',
  'reintegration_officer',
  'data_protection_officer',
];

const journeyParams = z.object({ journeyId: z.uuid() });
const cursor = z.string().min(1).max(400).optional();
const limit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);
const day = z.iso.date();

export const accessStream = (journeyId: string): string => `access-journey-${journeyId}`;

const notFound = (): HttpProblem => new HttpProblem('NOT_FOUND', 'No such journey');

/** Wraps every encrypted field of an entry's data with the event it belongs to, for revealing. */
function sealEntry(entry: TimelineEntry): Omit<TimelineEntry, 'data'> & { data: unknown } {
  const walk = (value: unknown): unknown => {
    const sealed = sealedFrom(value, entry.eventId, isEncryptedField);
    if (sealed) return sealed;
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    return value;
  };
  return { ...entry, data: walk(entry.data) };
}

const publicEntry = (entry: Omit<TimelineEntry, 'data'> & { data: unknown }) => ({
  eventId: entry.eventId,
  service: entry.service,
  type: entry.type,
  schemaVersion: entry.schemaVersion,
  occurredAt: entry.occurredAt,
  recordedAt: entry.recordedAt,
  recordedBy: entry.actor,
  legalBasis: entry.legalBasis,
  data: entry.data,
});

/** An instant, or a day meaning its last millisecond (UTC). */
const instant = z.union([
  z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString()),
  day.transform((value) => `${value}T23:59:59.999Z`),
]);

export function journeyRoutes(deps: JourneyDeps): FastifyPluginCallbackZod {
  const visibleSummary = async (principal: Principal, journeyId: string) => {
    const summary = await deps.readModel.summary(journeyId);
    if (!summary || !seesJourney(summary, principal, deps.now().toISOString())) throw notFound();
    return summary;
  };

  /** Reveals what the caller's roles may read, records the read (or fails), and returns it. */
  const revealAndRecord = async <T>(
    request: FastifyRequest,
    journeyId: string,
    route: string,
    view: T,
  ) => {
    const principal = request.principal;
    const revealed = await revealSealed(view, deps.cipher, readableCategories(principal.roles));
    await recordAccess(
      deps.store,
      accessStream(journeyId),
      accessRecordOf(request, { kind: 'journey', id: journeyId }, revealed.categories, route),
      deps.newId,
      deps.now(),
    );
    return revealed.value;
  };

  const withDue = (summary: JourneySummary, today: string) => ({
    ...summary,
    due: dueItems(summary, deps.policy).map((item) => ({ ...item, overdue: item.dueOn < today })),
  });

  return (app, _options, done) => {
    app.get(
      '/journeys/:journeyId/timeline',
      {
        schema: {
          summary: 'Every event of a journey across all services',
          description:
            'Ordered by when it happened (or, with `order=recorded`, by when it was recorded), with who recorded it. Personal values are decrypted for the categories your role may read; others show as restricted or erased. Every read is recorded.',
          tags: ['journey'],
          params: journeyParams,
          querystring: z.object({
            order: z.enum(['occurred', 'recorded']).default('occurred'),
            limit: limit(1_000, 200),
            cursor,
          }),
          response: { 200: timelineAnswer },
        },
        config: { access: { roles: READERS } },
      },
      async (request) => {
        const { journeyId } = request.params;
        const { order, limit: size, cursor: after } = request.query;
        await visibleSummary(request.principal, journeyId);
        const page = await deps.readModel.timeline(journeyId, {
          order,
          limit: size,
          ...(after === undefined ? {} : { cursor: after }),
        });

        const entries = await revealAndRecord(
          request,
          journeyId,
          'GET /journeys/:journeyId/timeline',
          page.entries.map((entry) => publicEntry(sealEntry(entry))),
        );
        return { journeyId, order, entries, nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/journeys/:journeyId/summary',
      {
        schema: {
          summary: 'Where a journey stands: phase, open risks, and what is due',
          description:
            'Codes and dates only, no personal values. What is due: reviews, a reflection period ending, missing or expiring consent, a guardian not yet appointed; `overdue` when its day has passed. Every read is recorded.',
          tags: ['journey'],
          params: journeyParams,
          response: { 200: journeySummaryAnswer },
        },
        config: { access: { roles: READERS } },
      },
      async (request) => {
        const { journeyId } = request.params;
        const summary = await visibleSummary(request.principal, journeyId);
        const today = deps.now().toISOString().slice(0, 10);
        return revealAndRecord(
          request,
          journeyId,
          'GET /journeys/:journeyId/summary',
          withDue(summary, today),
        );
      },
    );

    app.get(
      '/journeys/:journeyId/as-of',
      {
        schema: {
          summary: 'A journey as it was known at a time, and as it had happened by then',
          description:
            '`known`: from the events recorded by `at`. `happened`: from the events that occurred by `at`, as known now. `recordedLater` lists the events that happened by `at` but were recorded after it: what an auditor asks about. A day means its end (UTC). Every read is recorded.',
          tags: ['journey'],
          params: journeyParams,
          querystring: z.object({ at: instant }),
          response: { 200: asOfAnswer },
        },
        config: { access: { roles: READERS } },
      },
      async (request) => {
        const { journeyId } = request.params;
        const { at } = request.query;
        await visibleSummary(request.principal, journeyId);
        const view = await deps.readModel.asOf(journeyId, at);
        if (!view) throw notFound();
        const day = at.slice(0, 10);
        return revealAndRecord(request, journeyId, 'GET /journeys/:journeyId/as-of', {
          journeyId,
          at,
          known: withDue(view.known, day),
          happened: withDue(view.happened, day),
          recordedLater: view.recordedLater.map((entry) => publicEntry(sealEntry(entry))),
          notYetHappened: view.notYetHappened.map((entry) => publicEntry(sealEntry(entry))),
        });
      },
    );

    app.get(
      '/journeys',
      {
        schema: {
          summary: 'Find journeys by organisation, phase and due date',
          description:
            'The journeys your organisation sees (every journey for the data-protection officer), earliest due first, a page at a time: pass `nextCursor` back as `cursor`. Codes and dates only.',
          tags: ['journey'],
          querystring: z.object({
            organisation: z.uuid().optional(),
            phase: z.enum(PHASES).optional(),
            dueBefore: day.optional(),
            limit: limit(200, 50),
            cursor,
          }),
          response: { 200: journeyPageAnswer },
        },
        config: { access: { roles: READERS } },
      },
      async (request) => {
        const principal = request.principal;
        const { organisation, phase, dueBefore, limit: size, cursor: after } = request.query;
        const now = deps.now().toISOString();
        const today = now.slice(0, 10);
        const page = await deps.readModel.search({
          visibleTo: principal.roles.includes('data_protection_officer')
            ? undefined
            : principal.orgId,
          limit: size,
          ...(organisation === undefined ? {} : { organisation }),
          ...(phase === undefined ? {} : { phase }),
          ...(dueBefore === undefined ? {} : { dueBefore }),
          ...(after === undefined ? {} : { cursor: after }),
        });

        return {
          // The index lists the organisations a journey was shared with; a referral whose consent
          // has expired since no longer shows it (the page may then hold fewer items).
          items: page.rows
            .filter((row) => seesJourney(row.summary, principal, now))
            .map((row) => {
              const { due } = withDue(row.summary, today);
              return {
                journeyId: row.journeyId,
                phase: row.summary.phase,
                jurisdiction: row.summary.jurisdiction,
                openedAt: row.summary.openedAt,
                organisations: row.summary.organisations,
                openRisks: row.summary.risks.map((risk) => risk.kind),
                nextDueOn: row.nextDueOn,
                due,
              };
            }),
          nextCursor: page.nextCursor,
        };
      },
    );
    done();
  };
}
