/**
 * Fills a store with journeys copied from the templates: each copy has its own journey, person,
 * event ids and keys, its events spread over its own years, the services' streams interleaved
 * with every other journey's as real recording would, appended a few events at a time.
 */
import type { EventStore, NewEvent } from '@waypoint/eventstore';
import { sealEvent, type FieldCipher } from '@waypoint/privacy';
import { v7 } from 'uuid';
import { FAMILIES, type TemplateEvent, type Templates } from './journey-templates.js';

const DAY_MS = 86_400_000;
const CHUNK = 10;
const ORG = '0193a000-0000-7000-8000-000000000001';

interface Planned {
  readonly template: TemplateEvent;
  readonly occurredAt: string;
}

export interface PlannedJourney {
  readonly journeyId: string;
  readonly personId: string;
  readonly events: Planned[];
}

export function planJourney(templates: Templates, index: number, count: number): PlannedJourney {
  const start = Date.UTC(2021, 0, 1) + (index % 1_500) * DAY_MS;
  const events: Planned[] = templates.journey.slice(0, count).map((template) => ({
    template,
    occurredAt: new Date(start + template.offsetDays * DAY_MS).toISOString(),
  }));
  const lastOffset = templates.journey.at(-1)?.offsetDays ?? 0;
  for (let n = 0; events.length < count; n += 1) {
    const template = templates.recurring[n % templates.recurring.length];
    if (!template) break;
    events.push({
      template,
      occurredAt: new Date(start + (lastOffset + 1) * DAY_MS + (n * DAY_MS) / 4).toISOString(),
    });
  }
  return { journeyId: v7(), personId: v7(), events };
}

function replaceIds(value: unknown, from: Map<string, string>): unknown {
  if (typeof value === 'string') return from.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => replaceIds(item, from));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceIds(item, from)]),
    );
  return value;
}

/** The events of chunk `n` of a journey: consecutive events of one stream, at most CHUNK. */
function chunks(journey: PlannedJourney): Planned[][] {
  const result: Planned[][] = [];
  for (const planned of journey.events) {
    const last = result.at(-1);
    if (last && last.length < CHUNK && last[0]?.template.service === planned.template.service)
      last.push(planned);
    else result.push([planned]);
  }
  return result;
}

async function sealChunk(
  templates: Templates,
  journey: PlannedJourney,
  chunk: readonly Planned[],
  cipher: FieldCipher,
): Promise<NewEvent[]> {
  const ids = new Map([
    [templates.journeyId, journey.journeyId],
    [templates.personId, journey.personId],
  ]);
  return Promise.all(
    chunk.map(async ({ template, occurredAt }) => {
      const id = v7();
      const data = await sealEvent(
        FAMILIES[template.service] as (typeof FAMILIES)['identification'],
        cipher,
        { type: template.type, data: replaceIds(template.data, ids) as NewEvent['data'] },
        id,
        journey.personId,
      );
      return {
        id,
        type: template.type,
        schemaVersion: template.schemaVersion,
        data,
        metadata: {
          occurredAt,
          actor: { userId: 'bench-recorder', role: 'caseworker', orgId: ORG },
          correlationId: id,
          causationId: id,
        },
      };
    }),
  );
}

/**
 * Appends every journey with `writers` concurrent writers, round by round (chunk r of every
 * journey, then chunk r+1), so that journeys interleave in the global log.
 */
export async function populate(
  store: EventStore,
  cipher: FieldCipher,
  templates: Templates,
  journeys: readonly PlannedJourney[],
  writers: number,
  progress: (events: number) => void,
): Promise<number> {
  const planned = journeys.map((journey) => ({ journey, chunks: chunks(journey) }));
  const rounds = Math.max(...planned.map((p) => p.chunks.length));
  let appended = 0;
  for (let round = 0; round < rounds; round += 1) {
    const work = planned.filter((p) => round < p.chunks.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (;;) {
          const item = work[next];
          next += 1;
          if (!item) return;
          const chunk = item.chunks[round] ?? [];
          const service = chunk[0]?.template.service;
          if (!service) continue;
          const events = await sealChunk(templates, item.journey, chunk, cipher);
          await store.append(`${service}-${item.journey.journeyId}`, events);
          appended += events.length;
        }
      }),
    );
    progress(appended);
  }
  return appended;
}
