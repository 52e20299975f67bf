import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../errors.js';

/** The path of the first object carrying `$enc` (an encrypted-field envelope), or undefined. */
function ciphertextPath(value: unknown, path: string, depth = 0): string | undefined {
  if (depth > 64 || typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = ciphertextPath(item, `${path}.${String(index)}`, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Object.hasOwn(value, '$enc')) return path;
  for (const [key, item] of Object.entries(value)) {
    const found = ciphertextPath(item, `${path}.${key}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Clients send plaintext; only the service encrypts. An encrypted-field envelope in a request
 * body would be stored as if the service had sealed it, under a subject and key of the sender's
 * choosing, and break every later read: it is refused before validation.
 */
export function rejectClientCiphertext(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const field = ciphertextPath(request.body, 'body');
    if (field === undefined) {
      done();
      return;
    }
    const message =
      'must be a plain value: encrypted fields are made by the service, never sent to it';
    done(
      new HttpProblem('VALIDATION_FAILED', `${field}: ${message}`, {
        field,
        errors: [{ field, message }],
      }),
    );
  });
}
