import type { FastifyInstance } from 'fastify';

/**
 * Every answer says `Cache-Control: no-store` unless its route chose otherwise: person, timeline
 * and export answers carry personal data, and a shared or browser cache must never keep them.
 * Marking every answer is simpler to keep right than listing the routes that need it.
 */
export function forbidCaching(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
