/**
 * Realistic journeys for benchmarks: the demo journeys the embedded mode records through the real
 * APIs (one per service demo), decrypted once, so that copies can be sealed again under their
 * own person's keys and event ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  careFamily,
  identificationFamily,
  isEncryptedField,
  legalFamily,
  reintegrationFamily,
  shelterFamily,
} from '@waypoint/contracts';
import { startEmbedded, allInOneConfigSchema } from '@waypoint/all-in-one';
import type { JsonObject, JsonValue, RecordedEvent } from '@waypoint/eventstore';
import { SqliteEventStore } from '@waypoint/eventstore/sqlite';
import { FieldCipher, SqliteKeyStore, parseMasterKey } from '@waypoint/privacy';

export const FAMILIES = {
  identification: identificationFamily,
  shelter: shelterFamily,
  care: careFamily,
  legal: legalFamily,
  reintegration: reintegrationFamily,
} as const;
export type Service = keyof typeof FAMILIES;

export interface TemplateEvent {
  readonly service: Service;
  readonly type: string;
  readonly schemaVersion: number;
  /** Plaintext: sealed again for each copy. */
  readonly data: JsonObject;
  /** Days after the journey opened. */
  readonly offsetDays: number;
}

export interface Templates {
  /** One journey through every service, in the order it happened. */
  readonly journey: TemplateEvent[];
  /** Events that recur over a long journey (progress, reviews, incidents...). */
  readonly recurring: TemplateEvent[];
  /** The ids the template uses for its journey and person, replaced in each copy. */
  readonly journeyId: string;
  readonly personId: string;
}

const RECURRING = new Set([
  'CareObjectiveProgressRecorded',
  'CareDelivered',
  'ReintegrationReviewCompleted',
  'IncidentRecorded',
  'InterviewConducted',
  'InformationProvided',
  'MovementRestrictionReviewed',
  'RiskAssessmentCompleted',
  'IndicatorsObserved',
]);

const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

async function reveal(value: JsonValue, eventId: string, cipher: FieldCipher): Promise<JsonValue> {
  if (isEncryptedField(value)) {
    const result = await cipher.decrypt(value, eventId);
    if (!result.ok) throw new Error('template value erased');
    return result.value;
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => reveal(item, eventId, cipher)));
  if (typeof value === 'object' && value !== null) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, item]) => [key, await reveal(item, eventId, cipher)]),
    );
    return Object.fromEntries(entries) as JsonObject;
  }
  return value;
}

export async function journeyTemplates(): Promise<Templates> {
  const folder = mkdtempSync(join(tmpdir(), 'waypoint-bench-templates-'));
  try {
    const config = allInOneConfigSchema.parse({ DATA_DIR: folder, DEMO_JOURNEYS: '4' });
    const embedded = await startEmbedded(config, quiet);
    const masterKey = embedded.secrets.masterKey;
    await embedded.close();
    const store = new SqliteEventStore({ file: join(folder, 'events.sqlite') });
    const keys = new SqliteKeyStore({
      file: join(folder, 'keys.sqlite'),
      masterKey: parseMasterKey(masterKey),
    });
    const cipher = new FieldCipher(keys);
    const byJourney = new Map<string, RecordedEvent[]>();
    for await (const event of store.readAll({ filter: { categories: Object.keys(FAMILIES) } })) {
      const journeyId = event.stream.slice(event.stream.indexOf('-') + 1);
      byJourney.set(journeyId, [...(byJourney.get(journeyId) ?? []), event]);
    }
    const journeys = [...byJourney.entries()];
    const [first] = journeys;
    if (!first) throw new Error('the demo recorded no journey');
    const [journeyId, firstEvents] = first;
    const opened = firstEvents.find((event) => event.type === 'JourneyOpened');
    const personId = opened?.data['personId'];
    if (typeof personId !== 'string') throw new Error('no JourneyOpened in the demo journey');
    const start = Date.parse(opened?.metadata.occurredAt ?? '');
    // Identification from the first journey; each other service from the journey that shows it.
    const picked: RecordedEvent[] = firstEvents.filter((e) =>
      e.stream.startsWith('identification-'),
    );
    for (const service of ['shelter', 'care', 'legal', 'reintegration'] as const) {
      const source = journeys.find(([, events]) =>
        events.some((e) => e.stream.startsWith(`${service}-`)),
      );
      if (source) picked.push(...source[1].filter((e) => e.stream.startsWith(`${service}-`)));
    }
    const journey: TemplateEvent[] = [];
    for (const event of picked) {
      if (event.type === 'EventRetracted' || event.type === 'EventAmended') continue;
      const service = event.stream.slice(0, event.stream.indexOf('-')) as Service;
      const data = (await reveal(event.data, event.id, cipher)) as JsonObject;
      journey.push({
        service,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data,
        offsetDays: Math.max(0, (Date.parse(event.metadata.occurredAt) - start) / 86_400_000),
      });
    }
    journey.sort((a, b) => a.offsetDays - b.offsetDays);
    await keys.close();
    await store.close();
    const recurring = journey.filter((event) => RECURRING.has(event.type));
    if (recurring.length === 0) throw new Error('the demo journeys have no recurring events');
    return { journey, recurring, journeyId, personId };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
