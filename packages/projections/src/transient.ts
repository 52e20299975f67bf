/**
 * Is this failure about the database or the network (retry the batch later), or about the event
 * (park it and go on)? Connection errors, shutdowns, resource limits and serialization failures
 * are transient; anything else a projection throws is the event's fault.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention, 40 rollback, 55P03 lock.
    if (/^(08|53|57|58|40)/.test(code) || code === '55P03') return true;
    // Node system errors (ECONNREFUSED, ECONNRESET, ETIMEDOUT...).
    if (/^E[A-Z]+$/.test(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection is closed|Client has encountered a connection error|PGlite is closed/i.test(
      message,
    )
  );
}
