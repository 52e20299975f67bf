import { z } from 'zod';
import { PHASES } from './summary/domain/summary.js';

/**
 * What the journey routes answer, for OpenAPI and for the serializer. Objects are loose: a field
 * the read model adds later passes through instead of being dropped before it is documented here.
 */
/** Read models hold readonly arrays. */
const list = <Item extends z.ZodType>(item: Item) => z.array(item).readonly();
const day = z.string().describe('A day, YYYY-MM-DD (UTC)');
const instant = z.string().describe('An instant, ISO 8601 UTC');
const nextCursor = z
  .string()
  .nullable()
  .describe('Pass it back as `cursor` for the next page; null on the last page');

const DUE_KINDS = [
  'consent-missing',
  'consent-expires',
  'guardian-not-appointed',
  'reflection-period-ends',
  'reintegration-review',
] as const;

const dueItem = z.looseObject({
  kind: z.enum(DUE_KINDS),
  dueOn: day.describe('The day by which it is due'),
  overdue: z.boolean().describe('The day has passed'),
});

const openRisk = z.looseObject({
  kind: z.enum([
    'shelter-safety',
    'return-risk',
    're-trafficking',
    'detention',
    'removal-order',
    'penalty',
  ]),
  level: z.string().nullable(),
  since: instant,
  eventId: z.uuid().describe('The event that opened the risk'),
});

/** A journey at a glance: codes and dates, no personal values. */
export const journeySummaryAnswer = z
  .looseObject({
    journeyId: z.uuid(),
    personId: z.uuid().nullable().optional(),
    jurisdiction: z.string().nullable(),
    openedByOrgId: z.uuid().nullable(),
    openedAt: instant.nullable(),
    organisations: list(z.uuid()).describe('The organisations that see the journey'),
    referrals: list(
      z.looseObject({
        referralId: z.uuid(),
        toOrgId: z.uuid(),
        consentId: z.uuid().nullable(),
        consentValidUntil: z.string().nullable().optional(),
        status: z.enum(['pending', 'accepted', 'rejected', 'completed']),
      }),
    ),
    withdrawnConsentIds: list(z.uuid()),
    phase: z.enum(PHASES),
    closed: z.looseObject({ at: instant, reason: z.string() }).nullable(),
    child: z.looseObject({
      presumed: z.boolean(),
      since: z.string().nullable(),
      unaccompanied: z.boolean(),
      guardianAppointedAt: z.string().nullable(),
      inJourney: z.boolean().nullable().optional(),
      inRegistry: z.boolean().optional(),
    }),
    identification: z.looseObject({
      firstContactAt: z.string().nullable(),
      reasonableGrounds: z.looseObject({ outcome: z.string(), at: z.string() }).nullable(),
      conclusive: z.looseObject({ status: z.string(), at: z.string() }).nullable(),
    }),
    consents: z.record(
      z.string(),
      z.looseObject({ consentId: z.uuid(), validUntil: z.string().nullable() }),
    ),
    reflectionPeriod: z
      .looseObject({
        periodId: z.uuid(),
        start: z.string(),
        end: z.string(),
        endedAt: z.string().nullable(),
      })
      .nullable(),
    placement: z.looseObject({ placementId: z.uuid(), since: z.string() }).nullable(),
    risks: list(openRisk),
    nextReviewDue: z.string().nullable(),
    lastReviewAt: z.string().nullable(),
    events: z.number().int().describe('How many events the journey holds'),
    lastOccurredAt: z.string().nullable(),
    due: list(dueItem).describe('What is due next, earliest first'),
  })
  .describe('Where a journey stands');

/** One event of a journey, with personal values revealed as far as the reader may read them. */
const timelineEntry = z.looseObject({
  eventId: z.uuid(),
  service: z.string().describe('The service that recorded it'),
  type: z.string().describe('The event type, e.g. `FirstContactRecorded`'),
  schemaVersion: z.number().int(),
  occurredAt: instant,
  recordedAt: instant,
  recordedBy: z.looseObject({ userId: z.string(), role: z.string(), orgId: z.string() }),
  legalBasis: z.string().nullable(),
  data: z
    .unknown()
    .describe(
      "The event's data; a value you may not read shows as `{ $hidden: 'restricted' | 'erased', category }`",
    ),
});

export const timelineAnswer = z.looseObject({
  journeyId: z.uuid(),
  order: z.enum(['occurred', 'recorded']),
  entries: list(timelineEntry),
  nextCursor,
});

export const asOfAnswer = z.looseObject({
  journeyId: z.uuid(),
  at: instant.describe('The instant asked about'),
  known: journeySummaryAnswer.describe('From the events recorded by `at`'),
  happened: journeySummaryAnswer.describe('From the events that occurred by `at`, as known now'),
  recordedLater: list(timelineEntry).describe('Happened by `at`, recorded after it'),
  notYetHappened: list(timelineEntry).describe('Recorded by `at`, happening after it'),
});

export const journeyPageAnswer = z.looseObject({
  items: list(
    z.looseObject({
      journeyId: z.uuid(),
      phase: z.enum(PHASES),
      jurisdiction: z.string().nullable(),
      openedAt: z.string().nullable(),
      organisations: list(z.uuid()),
      openRisks: list(openRisk.shape.kind),
      nextDueOn: z.string().nullable(),
      due: list(dueItem),
    }),
  ),
  nextCursor,
});
