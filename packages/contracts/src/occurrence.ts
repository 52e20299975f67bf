import type { z } from 'zod';
import { occurredAtInput, occurrenceDay, occurrenceInstant, pastDay } from './dates.js';

/**
 * `occurredAt` is the one name every service accepts for when a recorded fact happened. Events
 * stored before it keep their own field (legal and shelter `occurredOn`, a day; care
 * `deliveredAt` and `endedAt`, instants): a command may give either, and the stored shape never
 * changes. The stated time also becomes the event's envelope `occurredAt`.
 */

/** A fact body whose data keeps the day as `occurredOn`, with the day given either way. */
export type OccurredOnBody = Readonly<Record<string, unknown>> & {
  readonly occurredOn?: string;
  readonly occurredAt?: string;
};

/**
 * The body of a fact whose data keeps `occurredOn` (legal, shelter): the day it happened is given
 * as `occurredOn` or as `occurredAt` (an instant or a day); one is required, and when both are
 * given they name the same day. The body's own checks are kept.
 */
export function occurredOnOrAt(body: z.ZodObject): z.ZodType<OccurredOnBody> {
  return body
    .safeExtend({
      occurredOn: pastDay.optional(),
      occurredAt: occurredAtInput.optional(),
    })
    .refine(
      (value: OccurredOnBody) => value.occurredOn !== undefined || value.occurredAt !== undefined,
      { error: 'when it happened is required: occurredAt (or occurredOn)', path: ['occurredAt'] },
    )
    .refine(
      (value: OccurredOnBody) =>
        value.occurredOn === undefined ||
        value.occurredAt === undefined ||
        occurrenceDay(value.occurredAt) === value.occurredOn,
      { error: 'names another day than occurredOn', path: ['occurredAt'] },
    );
}

/**
 * A validated `occurredOnOrAt` body as the fact's data (with `occurredOn`, the day as stated) and
 * the instant for the envelope: the stated `occurredAt` in UTC, or undefined when only the day was
 * given (the service's own convention for a day applies).
 */
export function splitOccurredOn(body: OccurredOnBody): {
  data: Record<string, unknown> & { occurredOn: string };
  occurredAt?: string;
} {
  const { occurredAt, occurredOn, ...rest } = body;
  const day = occurredOn ?? (occurredAt === undefined ? undefined : occurrenceDay(occurredAt));
  if (day === undefined) throw new Error('occurredOnOrAt lets no body through without a day');
  return occurredAt === undefined
    ? { data: { ...rest, occurredOn: day } }
    : { data: { ...rest, occurredOn: day }, occurredAt: occurrenceInstant(occurredAt) };
}

/**
 * A check for a fact body that keeps its own instant field (care `deliveredAt`, `endedAt`) beside
 * `occurredAt`: given together, they must name the same instant. Use with `path: ['occurredAt']`.
 */
export function agreesWithOccurredAt<Field extends string>(field: Field) {
  return (
    body: { readonly occurredAt?: string | undefined } & {
      readonly [key in Field]?: string | undefined;
    },
  ): boolean => {
    const own = body[field];
    return (
      own === undefined ||
      body.occurredAt === undefined ||
      Date.parse(own) === Date.parse(occurrenceInstant(body.occurredAt))
    );
  };
}

/** The instant a fact body names: its own field, else the stated `occurredAt` in UTC, else `received`. */
export function statedInstant(
  own: string | undefined,
  occurredAt: string | undefined,
  received: Date,
): string {
  return own ?? (occurredAt === undefined ? received.toISOString() : occurrenceInstant(occurredAt));
}
