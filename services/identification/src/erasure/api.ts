import type { FastifyRequest } from 'fastify';
import {
  CATEGORIES,
  ERASURE_REASON_CODES,
  ERASURE_SERVICES,
  LEGAL_HOLD_BASES,
  LEGAL_HOLD_BASIS_CITATIONS,
  LEGAL_HOLD_LIFT_REASONS,
  PURGE_OUTCOMES,
  legalHoldFamily,
  type Role,
} from '@waypoint/contracts';
import { DomainError } from '@waypoint/decider';
import type { RecordedEvent } from '@waypoint/eventstore';
import {
  commandContext,
  accessRecordOf,
  recordAccess,
  result,
  runIdempotently,
  send,
} from '@waypoint/service-kit';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IdentificationDeps } from '../deps.js';
import { streams } from '../streams.js';
import type { ErasureDuties } from './duties.js';
import type { ErasureLedger } from './erasure-ledger.js';
import { erasureView, erasureViewSchema, type ErasureView } from './erasure-view.js';
import { exportPerson } from './person-export.js';
import { erasureStreams } from './streams.js';
import type { ErasureWorkflow } from './workflow.js';
import type { LiveView } from '@waypoint/eventstore';

const DPO: readonly Role[] = ['data_protection_officer'];
/** Auditors see that an erasure happened and how: codes, ids, times. */
const OVERSIGHT: readonly Role[] = ['data_protection_officer', 'auditor'];
/** A service confirms with its own account (role admin); a DPO may confirm for one by hand. */
const CONFIRMERS: readonly Role[] = ['admin', 'data_protection_officer'];

const category = z.enum(CATEGORIES);
const categoryList = z
  .array(category)
  .min(1)
  .max(CATEGORIES.length)
  .refine((list) => new Set(list).size === list.length, 'list each category once');
const personParams = z.object({ personId: z.uuid() });
const requestParams = z.object({ requestId: z.uuid() });

const erasedPersonId = z.uuid().describe('The person whose data is to be erased');
const erasureReasonCode = z.enum(ERASURE_REASON_CODES).describe('Why the data is to be erased');
const requestBody = z.discriminatedUnion('scope', [
  z.object({
    personId: erasedPersonId,
    reasonCode: erasureReasonCode,
    scope: z.literal('all').describe("Erase every category of the person's data"),
  }),
  z.object({
    personId: erasedPersonId,
    reasonCode: erasureReasonCode,
    scope: z.literal('categories').describe('Erase only the categories listed'),
    categories: categoryList.describe('The categories of personal data to erase, each once'),
  }),
]);

const holdView = z.object({
  holdId: z.uuid(),
  basis: z.enum(LEGAL_HOLD_BASES),
  citation: z.string(),
  categories: z.array(category),
  placedAt: z.string(),
  placedBy: z.object({ userId: z.string(), role: z.string() }),
  lifted: z
    .object({
      at: z.string(),
      by: z.object({ userId: z.string(), role: z.string() }),
      reasonCode: z.string(),
    })
    .optional(),
});

export interface ErasureRuntime {
  readonly workflow: ErasureWorkflow;
  readonly duties: ErasureDuties;
  readonly ledger: LiveView<ErasureLedger>;
  /** Runs the duties soon after a request, instead of waiting for the interval. */
  readonly kick: () => void;
}

async function readAll(deps: IdentificationDeps, stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of deps.store.readStream(stream)) events.push(event);
  return events;
}

async function viewOf(deps: IdentificationDeps, requestId: string): Promise<ErasureView> {
  const view = erasureView(await readAll(deps, erasureStreams.request(requestId)));
  if (!view)
    throw new DomainError('ERASURE_REQUEST_NOT_FOUND', 'No such erasure request', 'not_found');
  return view;
}

async function assertPerson(deps: IdentificationDeps, personId: string): Promise<void> {
  const index = await deps.persons.current();
  if (!index.persons.has(personId)) {
    throw new DomainError('PERSON_NOT_FOUND', 'No such person', 'not_found', 'personId');
  }
}

export function erasureRoutes(
  deps: IdentificationDeps,
  runtime: ErasureRuntime,
): FastifyPluginCallbackZod {
  const { workflow } = runtime;
  /** A read about a person is recorded before it is answered; no record, no answer. */
  const recordPersonRead = async (
    request: FastifyRequest,
    personId: string,
    route: string,
  ): Promise<void> => {
    await recordAccess(
      deps.store,
      streams.personAccess(personId),
      accessRecordOf(request, { kind: 'person', id: personId }, [], route),
      deps.newId,
      deps.now(),
    );
  };
  return (app, _options, done) => {
    app.post(
      '/persons/:personId/legal-holds',
      {
        schema: {
          summary: 'Place a legal hold',
          description:
            'Blocks the erasure of the categories named, on a GDPR Art. 17(3) basis (e.g. legal_claims, 17(3)(e): evidence in pending proceedings). Recorded as LegalHoldPlaced.',
          tags: ['erasure'],
          params: personParams,
          body: z.object({
            basis: z
              .enum(LEGAL_HOLD_BASES)
              .describe('The exception to erasure the hold rests on (GDPR Art. 17(3))'),
            categories: categoryList.describe(
              'The categories of personal data the hold covers, each once',
            ),
          }),
          response: { 201: z.object({ holdId: z.uuid(), revision: z.number().int() }) },
        },
        config: { access: { roles: DPO } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          await assertPerson(deps, request.params.personId);
          const placed = await workflow.placeHold(
            request.params.personId,
            request.body,
            commandContext(request, deps.now()),
          );
          return result(201, placed, placed.revision);
        }),
    );

    app.post(
      '/persons/:personId/legal-holds/:holdId/lift',
      {
        schema: {
          summary: 'Lift a legal hold',
          description:
            'Recorded as LegalHoldLifted. Erasure requests it blocked stay blocked until resumed.',
          tags: ['erasure'],
          params: personParams.extend({ holdId: z.uuid() }),
          body: z.object({
            reasonCode: z.enum(LEGAL_HOLD_LIFT_REASONS).describe('Why the hold is lifted'),
          }),
          response: { 200: z.object({ revision: z.number().int() }) },
        },
        config: { access: { roles: DPO } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          await assertPerson(deps, request.params.personId);
          const revision = await workflow.liftHold(
            request.params.personId,
            request.params.holdId,
            request.body.reasonCode,
            commandContext(request, deps.now()),
          );
          return result(200, { revision }, revision);
        }),
    );

    app.get(
      '/persons/:personId/legal-holds',
      {
        schema: {
          summary: "A person's legal holds",
          description:
            'Every hold placed, in force or lifted, with its basis and who did what. For the data-protection officer: that a person is held at all says something about them. The read is recorded.',
          tags: ['erasure'],
          params: personParams,
          response: { 200: z.object({ holds: z.array(holdView) }) },
        },
        config: { access: { roles: DPO } },
      },
      async (request) => {
        await assertPerson(deps, request.params.personId);
        await recordPersonRead(
          request,
          request.params.personId,
          'GET /persons/:personId/legal-holds',
        );
        const holds: z.infer<typeof holdView>[] = [];
        for (const recorded of await readAll(
          deps,
          erasureStreams.legalHolds(request.params.personId),
        )) {
          const event = legalHoldFamily.decode(recorded);
          const by = {
            userId: recorded.metadata.actor.userId,
            role: recorded.metadata.actor.role,
          };
          if (event.type === 'LegalHoldPlaced') {
            holds.push({
              holdId: event.data.holdId,
              basis: event.data.basis,
              citation: LEGAL_HOLD_BASIS_CITATIONS[event.data.basis],
              categories: event.data.categories,
              placedAt: recorded.metadata.recordedAt,
              placedBy: by,
            });
          } else {
            const index = holds.findIndex((hold) => hold.holdId === event.data.holdId);
            const hold = holds[index];
            if (hold) {
              holds[index] = {
                ...hold,
                lifted: {
                  at: recorded.metadata.recordedAt,
                  by,
                  reasonCode: event.data.reasonCode,
                },
              };
            }
          }
        }
        return { holds };
      },
    );

    app.post(
      '/erasure-requests',
      {
        schema: {
          summary: "Request a person's erasure",
          description:
            "Records ErasureRequested; every service then confirms it keeps no decrypted copy, and the person's keys for the categories are destroyed (crypto-shredding). Under a legal hold covering a requested category, the request is recorded as blocked and refused with ERASURE_UNDER_LEGAL_HOLD naming the hold.",
          tags: ['erasure'],
          body: requestBody,
          response: { 201: erasureViewSchema },
        },
        config: { access: { roles: DPO } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const body = request.body;
          await assertPerson(deps, body.personId);
          const { requestId } = await workflow.request(
            {
              personId: body.personId,
              reasonCode: body.reasonCode,
              categories: body.scope === 'all' ? undefined : body.categories,
              origin: 'dpo',
            },
            commandContext(request, deps.now()),
          );
          runtime.kick();
          return result(201, await viewOf(deps, requestId));
        }),
    );

    app.post(
      '/erasure-requests/:requestId/resume',
      {
        schema: {
          summary: 'Resume a blocked erasure request',
          description:
            'Once the holds that blocked it are lifted. Refused with ERASURE_UNDER_LEGAL_HOLD, naming the hold, while one still applies.',
          tags: ['erasure'],
          params: requestParams,
          response: { 200: erasureViewSchema },
        },
        config: { access: { roles: DPO } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          await workflow.resume(request.params.requestId, commandContext(request, deps.now()));
          runtime.kick();
          return result(200, await viewOf(deps, request.params.requestId));
        }),
    );

    app.get(
      '/erasure-requests/pending',
      {
        schema: {
          summary: 'Erasure requests waiting for a service',
          description:
            "What a service polls: purge the person's decrypted copies, then confirm each one.",
          tags: ['erasure'],
          querystring: z.object({ service: z.enum(ERASURE_SERVICES) }),
          response: {
            200: z.object({
              pending: z.array(
                z.object({
                  requestId: z.uuid(),
                  personId: z.uuid(),
                  categories: z.array(category),
                }),
              ),
            }),
          },
        },
        config: { access: { roles: CONFIRMERS } },
      },
      async (request) => ({
        pending: (await workflow.pending(request.query.service)).map((item) => ({
          ...item,
          categories: [...item.categories],
        })),
      }),
    );

    app.post(
      '/erasure-requests/:requestId/confirmations',
      {
        schema: {
          summary: 'Confirm a service purged its decrypted copies',
          description:
            "Records ErasureServiceConfirmed (once per service; a repeat changes nothing). After the last one, the person's keys are destroyed and the request completes.",
          tags: ['erasure'],
          params: requestParams,
          body: z.object({
            service: z.enum(ERASURE_SERVICES).describe('The service that confirms'),
            outcome: z
              .enum(PURGE_OUTCOMES)
              .describe("What the service did with decrypted copies of the person's data"),
            cacheEntriesEvicted: z
              .number()
              .int()
              .min(0)
              .max(1_000_000)
              .describe("How many of the person's keys the service dropped from its key cache"),
          }),
          response: { 200: erasureViewSchema },
        },
        config: { access: { roles: CONFIRMERS } },
      },
      async (request, reply) => {
        const { service, ...report } = request.body;
        await workflow.confirm(
          request.params.requestId,
          service,
          report,
          commandContext(request, deps.now()),
        );
        return send(reply, result(200, await viewOf(deps, request.params.requestId)));
      },
    );

    app.get(
      '/erasure-requests/:requestId',
      {
        schema: {
          summary: 'An erasure request: its status and every step',
          tags: ['erasure'],
          params: requestParams,
          response: { 200: erasureViewSchema },
        },
        config: { access: { roles: OVERSIGHT } },
      },
      async (request) => viewOf(deps, request.params.requestId),
    );

    app.get(
      '/persons/:personId/erasure-requests',
      {
        schema: {
          summary: "A person's erasure requests",
          description:
            'For the data-protection officer (auditors follow a request by its id). The read is recorded.',
          tags: ['erasure'],
          params: personParams,
          response: { 200: z.object({ requests: z.array(erasureViewSchema) }) },
        },
        config: { access: { roles: DPO } },
      },
      async (request) => {
        await assertPerson(deps, request.params.personId);
        await recordPersonRead(
          request,
          request.params.personId,
          'GET /persons/:personId/erasure-requests',
        );
        const ledger = await runtime.ledger.current();
        const ids = ledger.requestsByPerson.get(request.params.personId) ?? [];
        const requests: ErasureView[] = [];
        for (const requestId of ids) requests.push(await viewOf(deps, requestId));
        return { requests };
      },
    );

    app.get(
      '/persons/:personId/export',
      {
        schema: {
          summary: 'Everything held about a person (right of access)',
          description:
            "The registry, legal holds, erasure requests and every service's events of each journey, with personal values decrypted (or marked erased). The read is recorded in the access log.",
          tags: ['erasure'],
          params: personParams,
          response: {
            200: z.object({
              personId: z.uuid(),
              exportedAt: z.string(),
              journeyIds: z.array(z.uuid()).readonly(),
              events: z
                .array(
                  z.object({
                    stream: z.string(),
                    revision: z.number().int(),
                    eventId: z.uuid(),
                    type: z.string(),
                    occurredAt: z.string(),
                    recordedAt: z.string(),
                    recordedBy: z.object({ role: z.string(), orgId: z.string() }),
                    data: z.unknown().describe('Decrypted, or `{ $hidden: "erased" }`'),
                  }),
                )
                .readonly(),
            }),
          },
        },
        config: { access: { roles: DPO } },
      },
      async (request) => {
        const { personId } = request.params;
        await assertPerson(deps, personId);
        const ledger = await runtime.ledger.current();
        const now = deps.now();
        const exported = await exportPerson(
          deps.store,
          deps.cipher,
          personId,
          ledger.requestsByPerson.get(personId) ?? [],
          now,
        );
        await recordAccess(
          deps.store,
          streams.personAccess(personId),
          accessRecordOf(
            request,
            { kind: 'person', id: personId },
            [...exported.categories],
            'GET /persons/:personId/export',
          ),
          deps.newId,
          now,
        );
        return exported.export;
      },
    );
    done();
  };
}
