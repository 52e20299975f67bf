import { accessFamily, type Category } from '@waypoint/contracts';
import type { FastifyRequest } from 'fastify';
import type { EventStore } from '@waypoint/eventstore';

export interface AccessRecord {
  readonly subjectKind: 'journey' | 'person';
  readonly subjectId: string;
  readonly userId: string;
  readonly orgId: string;
  readonly roles: readonly string[];
  readonly categories: readonly Category[];
  readonly route: string;
  readonly breakGlass: boolean;
  readonly correlationId: string;
}

/**
 * Appends a record of a read of personal data. Called before the answer is sent: if the record
 * cannot be written, the read fails (closed, not open).
 */
export async function recordAccess(
  store: EventStore,
  /** The service's own access stream for the subject, e.g. `access-identification-<journeyId>`. */
  stream: string,
  record: AccessRecord,
  newEventId: () => string,
  now: Date,
): Promise<void> {
  const { correlationId, ...data } = record;
  const encoded = accessFamily.encode({
    type: 'PersonalDataRead',
    data: { ...data, roles: [...data.roles], categories: [...data.categories] },
  });
  await store.append(stream, [
    {
      id: newEventId(),
      ...encoded,
      metadata: {
        occurredAt: now.toISOString(),
        actor: { userId: record.userId, role: record.roles[0] ?? 'unknown', orgId: record.orgId },
        correlationId,
        causationId: correlationId,
      },
    },
  ]);
}

/**
 * The access record of a read answered to `request`: who (its verified caller), which subject,
 * which categories were revealed, by which route, under which correlation id.
 */
export function accessRecordOf(
  request: FastifyRequest,
  subject: { readonly kind: AccessRecord['subjectKind']; readonly id: string },
  categories: Iterable<Category>,
  route: string,
  breakGlass = false,
): AccessRecord {
  const { userId, orgId, roles } = request.principal;
  return {
    subjectKind: subject.kind,
    subjectId: subject.id,
    userId,
    orgId,
    roles,
    categories: [...categories],
    route,
    breakGlass,
    correlationId: request.id,
  };
}
