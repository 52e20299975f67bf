import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../errors.js';

/** No command of ours nests deeper; a body that does is an attack on the parser or a checker. */
export const MAX_BODY_DEPTH = 32;

/** The nesting depth of a JSON value, walked with an explicit stack (no recursion to blow). */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children) stack.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/**
 * Refuses bodies nested deeper than MAX_BODY_DEPTH before validation: schemas would drop them
 * silently on routes without a body, and the checks that walk bodies must see all of it.
 */
export function limitBodyDepth(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    if (!exceedsDepth(request.body, MAX_BODY_DEPTH)) {
      done();
      return;
    }
    const message = `must not be nested deeper than ${String(MAX_BODY_DEPTH)} levels`;
    done(
      new HttpProblem('VALIDATION_FAILED', `body: ${message}`, {
        field: 'body',
        errors: [{ field: 'body', message }],
      }),
    );
  });
}
