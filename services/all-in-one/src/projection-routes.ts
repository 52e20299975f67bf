import type { ProjectionEngine } from '@waypoint/projections';
import { UnknownProjectionError } from '@waypoint/projections';
import { HttpProblem } from '@waypoint/service-kit';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const name = z.string().regex(/^[a-z][a-z0-9_]{0,40}$/);

const generationStatus = z.object({
  name: z.string(),
  generation: z.number().int(),
  version: z.number().int().describe('The projection code version it was built with'),
  status: z.enum(['building', 'active', 'retired']),
  ready: z.boolean(),
  position: z.string().describe('The checkpoint: the last log position applied'),
  eventsApplied: z.number().int(),
  lastRecordedAt: z.string().nullable(),
  updatedAt: z.string(),
  retiredAt: z.string().nullable(),
  runner: z.enum(['running', 'standby', 'failed', 'stopped', 'elsewhere']),
  lag: z.object({
    eventsBehind: z.number().int(),
    capped: z.boolean(),
    secondsBehind: z.number(),
  }),
  parked: z.number().int().describe('Events parked after failing'),
});

const parkedEvent = z.object({
  name: z.string(),
  generation: z.number().int(),
  eventId: z.uuid(),
  position: z.string(),
  stream: z.string(),
  revision: z.number().int(),
  type: z.string(),
  error: z.string(),
  parkedAt: z.string(),
});

function known(engine: ProjectionEngine, projection: string): void {
  try {
    engine.projection(projection);
  } catch (error) {
    if (error instanceof UnknownProjectionError)
      throw new HttpProblem('NOT_FOUND', error.message, { field: 'params.name' });
    throw error;
  }
}

/** Operating the read models of a running process: status, rebuild, parked events. Admins only. */
export function projectionRoutes(engine: ProjectionEngine): FastifyPluginCallbackZod {
  const access = { roles: ['admin'] as const };
  return (app, _options, done) => {
    app.get(
      '/admin/projections',
      {
        schema: {
          summary: 'Every read model: generation, status, checkpoint, lag, parked events',
          tags: ['operations'],
          response: { 200: z.object({ projections: z.array(generationStatus).readonly() }) },
        },
        config: { access },
      },
      async () => ({ projections: await engine.status() }),
    );
    app.post(
      '/admin/projections/:name/rebuild',
      {
        schema: {
          summary:
            'Rebuild a read model into fresh tables; the current one serves until it has caught up',
          tags: ['operations'],
          params: z.object({ name }),
          response: { 202: z.object({ name: z.string(), generation: z.number().int() }) },
        },
        config: { access },
      },
      async (request, reply) => {
        known(engine, request.params.name);
        const generation = await engine.rebuild(request.params.name);
        return reply.code(202).send({ name: generation.name, generation: generation.generation });
      },
    );
    app.get(
      '/admin/projections/parked',
      {
        schema: {
          summary: 'Events a projection failed on, with their error and position',
          tags: ['operations'],
          response: { 200: z.object({ parked: z.array(parkedEvent).readonly() }) },
        },
        config: { access },
      },
      async () => ({ parked: await engine.parked() }),
    );
    app.post(
      '/admin/projections/:name/parked/:eventId/retry',
      {
        schema: {
          summary: 'Apply a parked event again (after the projection was fixed)',
          tags: ['operations'],
          params: z.object({ name, eventId: z.uuid() }),
          response: { 200: z.object({ outcome: z.enum(['applied', 'parked-again']) }) },
        },
        config: { access },
      },
      async (request) => {
        known(engine, request.params.name);
        const parked = await engine.parked(request.params.name);
        if (!parked.some((entry) => entry.eventId === request.params.eventId))
          throw new HttpProblem('NOT_FOUND', 'No such parked event', { field: 'params.eventId' });
        return { outcome: await engine.retryParked(request.params.name, request.params.eventId) };
      },
    );
    done();
  };
}
