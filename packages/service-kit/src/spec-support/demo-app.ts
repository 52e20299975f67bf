import { DomainError } from '@waypoint/decider';
import { InvalidInputError, WrongExpectedRevisionError } from '@waypoint/eventstore';
import { z } from 'zod';
import {
  createServiceApp,
  type ServiceApp,
  type ServiceAppOptions,
} from '../app/create-service-app.js';
import { ifMatchHeader, parseIfMatch, setRevision } from '../http/revision.js';
import { idempotent } from '../idempotency/idempotent.js';
import { testAuth, type TestAuth } from '../testing/test-auth.js';

/**
 * A tiny service built the way a real one is, for the kit's specs: routes with zod schemas and
 * access declarations, an idempotent command with If-Match, and routes that fail on purpose.
 */
export interface DemoApp {
  readonly app: ServiceApp;
  readonly auth: TestAuth;
  /** Every line the app logged. */
  readonly logs: string[];
  /** How often the admission command really ran (replays do not count). */
  readonly admissions: () => number;
}

export interface DemoOptions extends Partial<Omit<ServiceAppOptions, 'authenticator'>> {
  /** Awaited inside the admission command, to hold a request in flight. */
  readonly duringAdmission?: () => Promise<void>;
}

export const admissionBody = z.object({
  shelterId: z.uuid(),
  name: z.string().min(1).max(200).describe('Encrypted before it is stored'),
  notes: z.string().max(2000).optional(),
});

const journeyParams = z.object({ journeyId: z.uuid() });

export async function demoApp(options: DemoOptions = {}): Promise<DemoApp> {
  const auth = await testAuth();
  const logs: string[] = [];
  let admissions = 0;
  const app = await createServiceApp({
    name: 'demo-service',
    version: '1.2.3',
    authenticator: auth.authenticator,
    readiness: () => Promise.resolve(true),
    logger: { write: (line: string) => logs.push(line) },
    rateLimit: false,
    ...options,
  });

  app.post(
    '/journeys/:journeyId/admissions',
    {
      schema: {
        summary: 'Admit the person to a shelter',
        params: journeyParams,
        body: admissionBody,
        response: { 201: z.object({ journeyId: z.uuid(), revision: z.number().int() }) },
      },
      config: { access: { roles: ['caseworker', 'shelter_staff'] } },
    },
    async (request, reply) => {
      const expectedRevision = parseIfMatch(request);
      return idempotent(request, reply, async () => {
        admissions += 1;
        await options.duringAdmission?.();
        if (expectedRevision !== undefined && expectedRevision !== 3) {
          throw new WrongExpectedRevisionError('shelter-demo', expectedRevision, 3);
        }
        setRevision(reply, 4);
        reply.code(201).header('location', `/journeys/${request.params.journeyId}/admissions/1`);
        return { journeyId: request.params.journeyId, revision: 4 };
      });
    },
  );

  app.get(
    '/journeys/:journeyId',
    {
      schema: {
        params: journeyParams,
        response: { 200: z.object({ journeyId: z.uuid(), status: z.enum(['open', 'closed']) }) },
      },
      config: { access: { roles: ['caseworker'] } },
    },
    (request) => ({ journeyId: request.params.journeyId, status: 'open' as const }),
  );

  app.post(
    '/journeys/:journeyId/consents',
    {
      schema: {
        params: journeyParams,
        headers: z.object({ 'if-match': ifMatchHeader.optional() }),
        body: z.object({ consent: z.boolean() }),
      },
      config: { access: { roles: ['caseworker'] } },
    },
    () => {
      throw new DomainError(
        'CONSENT_REQUIRED',
        'The person has not consented to share data with this organisation',
        'precondition',
        'body.consent',
      );
    },
  );

  app.post(
    '/journeys/:journeyId/exits',
    { schema: { params: journeyParams }, config: { access: { roles: ['shelter_staff'] } } },
    () => {
      throw new DomainError(
        'SHELTER_ALREADY_EXITED',
        'The person already left the shelter',
        'conflict',
      );
    },
  );

  app.post(
    '/journeys/:journeyId/events',
    { schema: { params: journeyParams }, config: { access: { roles: ['caseworker'] } } },
    () => {
      throw new InvalidInputError(
        'INVALID_EVENT',
        'events[0].data.name',
        'events[0].data.name must not contain NUL characters',
      );
    },
  );

  app.get('/whoami', { config: { access: { roles: ['caseworker', 'auditor'] } } }, (request) => ({
    userId: request.principal.userId,
    orgId: request.principal.orgId,
    roles: request.principal.roles,
  }));

  app.get('/public/ping', { config: { access: { public: true } } }, () => ({ pong: true }));

  app.post(
    '/public/boom',
    { schema: { body: z.object({ name: z.string() }) }, config: { access: { public: true } } },
    () => {
      throw new Error('SELECT secret FROM x');
    },
  );

  await app.ready();
  return { app, auth, logs, admissions: () => admissions };
}
