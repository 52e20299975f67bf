import type { AuditEvent } from '@waypoint/contracts';
import type { ReadStreamOptions, RecordedEvent } from '@waypoint/eventstore';
import { MemoryEventStore } from '@waypoint/eventstore/memory';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streams } from '../streams.js';
import { ORG } from '../testing/journey-builder.js';
import { compliantAdultJourney } from '../testing/journeys.js';
import { appendRecorded } from '../testing/seed.js';
import { auditTestWorld, type AuditTestWorld } from '../testing/test-app.js';
import { auditFamily } from './audit-family.js';

/**
 * A review is decided on the reviews it was appended after. Another reviewer's append, landing
 * right after the review route has read the audit stream, must not be overlooked: the review is
 * decided again on it (or refused), never appended on top of it as if it were not there.
 */

/** A store in which another writer appends to a stream once a reader has read all of it. */
class RacingStore extends MemoryEventStore {
  private race: { stream: string; append: () => Promise<unknown> } | undefined;

  /** After the next complete read of `stream`, and before its reader goes on, runs `append`. */
  raceAfterRead(stream: string, append: () => Promise<unknown>): void {
    this.race = { stream, append };
  }

  override async *readStream(
    stream: string,
    options?: ReadStreamOptions,
  ): AsyncGenerator<RecordedEvent> {
    yield* super.readStream(stream, options);
    const race = this.race;
    if (race?.stream !== stream) return;
    this.race = undefined;
    await race.append();
  }
}

/** A journey whose removal is judged as a return: its flags are reviewable. */
function journeyWithFlags() {
  const built = compliantAdultJourney();
  built.journey.legal({
    type: 'RemovalEnforced',
    data: {
      actingBody: { type: 'Police', name: 'Police unit' },
      occurredOn: '2025-03-20',
      kind: 'expulsion',
    },
  });
  return built.journey;
}

describe('reviewing a finding while another reviewer appends', () => {
  const store = new RacingStore();
  let world: AuditTestWorld;
  let token: string;
  const refused = journeyWithFlags();
  const redecided = journeyWithFlags();

  /** The first flag of the journey's current audit. */
  const flagOf = async (journeyId: string) => {
    const response = await world.app.inject({
      method: 'GET',
      url: `/audit/journeys/${journeyId}/findings`,
      headers: { authorization: `Bearer ${token}` },
    });
    const { findings } = response.json<{
      findings: { findingKey: string; ruleId: string; severity: string }[];
    }>();
    const flag = findings.find((finding) => finding.severity === 'flag');
    if (!flag) throw new Error('the journey has no flag');
    return flag;
  };
  /** Another reviewer's review, stored as the route would store it. */
  const otherReview =
    (type: AuditEvent['type'], journeyId: string, flag: { findingKey: string; ruleId: string }) =>
    () =>
      store.append(streams.audit(journeyId), [
        {
          id: v7(),
          ...auditFamily.encode({
            type,
            data: {
              findingKey: flag.findingKey,
              journeyId,
              ruleId: flag.ruleId,
              reasonCode: 'other',
            },
          }),
          metadata: {
            occurredAt: new Date().toISOString(),
            actor: { userId: 'other-reviewer', role: 'supervisor', orgId: ORG },
            correlationId: 'other-review',
            causationId: 'other-review',
          },
        },
      ]);
  const review = (journeyId: string, findingKey: string, action: string) =>
    world.app.inject({
      method: 'POST',
      url: `/audit/journeys/${journeyId}/findings/reviews`,
      headers: { authorization: `Bearer ${token}` },
      payload: { findingKey, action, reasonCode: 'reviewed_justified' },
    });
  const storedTypes = async (journeyId: string) => {
    const types: string[] = [];
    for await (const event of store.readStream(streams.audit(journeyId))) types.push(event.type);
    return types;
  };

  beforeAll(async () => {
    world = await auditTestWorld({ store });
    token = await world.token(['supervisor'], ORG);
    await appendRecorded(store, refused.recorded);
    await appendRecorded(store, redecided.recorded);
  }, 60_000);
  afterAll(async () => {
    await world.close();
  });

  it('an acknowledgement raced by a dismissal is refused: the flag is dismissed by then', async () => {
    const flag = await flagOf(refused.journeyId);
    store.raceAfterRead(
      streams.audit(refused.journeyId),
      otherReview('FindingDismissed', refused.journeyId, flag),
    );
    const response = await review(refused.journeyId, flag.findingKey, 'acknowledge');
    expect(response.statusCode).toBe(409);
    expect(response.json<{ code: string }>().code).toBe('FINDING_ALREADY_DISMISSED');
    expect(await storedTypes(refused.journeyId)).toEqual(['FindingDismissed']);
  });

  it('an annotation raced by an acknowledgement is decided again, and answers the status after both', async () => {
    const flag = await flagOf(redecided.journeyId);
    store.raceAfterRead(
      streams.audit(redecided.journeyId),
      otherReview('FindingAcknowledged', redecided.journeyId, flag),
    );
    const response = await review(redecided.journeyId, flag.findingKey, 'annotate');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ findingKey: flag.findingKey, reviewStatus: 'acknowledged' });
    expect(await storedTypes(redecided.journeyId)).toEqual([
      'FindingAcknowledged',
      'FindingAnnotated',
    ]);
  });
});
