import { eventAmended, eventRetracted, freeText, type Role } from '@waypoint/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commandAnswer, result, runIdempotently } from './command-http.js';

const retraction = z.object({
  retractedEventId: eventRetracted.shape.retractedEventId,
  reasonCode: eventRetracted.shape.reasonCode,
  explanation: freeText.optional(),
});
const amendment = z.object({
  amendedEventId: eventAmended.shape.amendedEventId,
  reasonCode: eventAmended.shape.reasonCode,
  replacement: eventAmended.shape.replacement,
});

export type CorrectionCommand =
  | { readonly type: 'RetractEvent'; readonly data: z.output<typeof retraction> }
  | { readonly type: 'AmendEvent'; readonly data: z.output<typeof amendment> };

export interface CorrectionRoutesOptions {
  /** Where the service's journey routes live, e.g. `/journeys/:journeyId/care`. */
  readonly prefix: string;
  /** What the events are called in the documentation: `a care event`. */
  readonly subject: string;
  readonly roles: readonly Role[];
  /** The service's own rules for what may be retracted or amended, added to the documentation. */
  readonly retractRule?: string;
  readonly amendRule?: string;
  /** Runs the correction through the service's command handler; answers the new revision. */
  readonly correct: (
    request: FastifyRequest,
    journeyId: string,
    command: CorrectionCommand,
  ) => Promise<number>;
}

/**
 * The two correction routes every write service has: retract an event recorded in error (it stays
 * in the record and stops counting), or amend one with corrected data (it counts with the
 * replacement). Mistakes are corrected by new events, never by edits; the decider of each service
 * decides what may be corrected.
 */
export function correctionRoutes(options: CorrectionRoutesOptions): FastifyPluginCallbackZod {
  const params = z.object({ journeyId: z.uuid() });
  const answer = commandAnswer({ journeyId: z.uuid(), revision: z.number().int() });
  return (app, _options, done) => {
    app.post(
      `${options.prefix}/retractions`,
      {
        schema: {
          summary: `Retract ${options.subject} recorded in error`,
          description: `A correction: the event stays in the record and stops counting.${options.retractRule === undefined ? '' : ` ${options.retractRule}`}`,
          tags: ['corrections'],
          params,
          body: retraction,
          response: { 201: answer },
        },
        config: { access: { roles: options.roles } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const revision = await options.correct(request, journeyId, {
            type: 'RetractEvent',
            data: request.body,
          });
          return result(201, { journeyId, revision }, revision);
        }),
    );
    app.post(
      `${options.prefix}/amendments`,
      {
        schema: {
          summary: `Amend ${options.subject} with corrected data`,
          description: `A correction: the event counts with the replacement data, valid for its type.${options.amendRule === undefined ? '' : ` ${options.amendRule}`}`,
          tags: ['corrections'],
          params,
          body: amendment,
          response: { 201: answer },
        },
        config: { access: { roles: options.roles } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const { journeyId } = request.params;
          const revision = await options.correct(request, journeyId, {
            type: 'AmendEvent',
            data: request.body,
          });
          return result(201, { journeyId, revision }, revision);
        }),
    );
    done();
  };
}
