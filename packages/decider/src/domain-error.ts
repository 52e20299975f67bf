/**
 * A refusal by the domain: a stable UPPER_SNAKE code, the offending field where there is one, and
 * the kind of refusal, which the HTTP layer maps to a status.
 *
 * - `precondition`: a legal or business precondition is missing (422)
 * - `conflict`: the state does not allow it now (409)
 * - `not_found`: what the command refers to does not exist (404)
 * - `forbidden`: the actor may not do this to this journey (403)
 */
export type DomainErrorKind = 'precondition' | 'conflict' | 'not_found' | 'forbidden';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'precondition',
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
