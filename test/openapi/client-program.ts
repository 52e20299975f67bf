/**
 * The program a client developer would write against the generated types: registers a person,
 * opens a journey, records two facts and reads the timeline, all through openapi-fetch. It is
 * compiled (strict) against the types generated from `/openapi.json`, then run. `answer` takes a
 * second argument when an answer is typed `never`, so such a route fails the compilation.
 */
/** What `driveJourney` answers. */
export interface Drive {
  readonly personId: string;
  readonly journeyId: string;
  readonly revision: number;
  readonly types: readonly string[];
}

export const CLIENT_PROGRAM = `
import type createClient from 'openapi-fetch';
import type { paths } from './api.js';

function answer<T>(
  data: T,
  ..._typedNever: [NonNullable<T>] extends [never] ? ['this answer is typed never'] : []
): NonNullable<T> {
  if (data === undefined || data === null) throw new Error('no answer');
  return data;
}

export interface Drive {
  readonly personId: string;
  readonly journeyId: string;
  readonly revision: number;
  readonly types: readonly string[];
}

export async function driveJourney(
  create: typeof createClient,
  baseUrl: string,
  token: string,
  orgId: string,
): Promise<Drive> {
  const client = create<paths>({ baseUrl, headers: { authorization: 'Bearer ' + token } });
  const person = await client.POST('/persons', {
    body: {
      gender: 'Feminine',
      ageBand: '24-26',
      child: 'no',
      citizenship: ['NG'],
      languages: ['en'],
      identity: { givenName: 'Grace', familyName: 'Sample', birthDate: '1988-11-20' },
    },
  });
  if (person.error) throw new Error('register: ' + person.error.code + ' ' + person.error.detail);
  const { personId } = answer(person.data);

  const opened = await client.POST('/journeys', { body: { personId, jurisdiction: 'NL' } });
  if (opened.error) throw new Error('open: ' + opened.error.code + ' ' + opened.error.detail);
  const { journeyId, revision: openedAt } = answer(opened.data);

  const contact = await client.POST('/journeys/{journeyId}/first-contact', {
    params: {
      path: { journeyId },
      header: { 'If-Match': '"' + String(openedAt) + '"', 'Idempotency-Key': crypto.randomUUID() },
    },
    body: { channel: 'hotline', location: 'Central station' },
  });
  if (contact.error) throw new Error('contact: ' + contact.error.code + ' ' + contact.error.detail);
  const indicators = await client.POST('/journeys/{journeyId}/indicators', {
    params: { path: { journeyId } },
    body: { indicators: ['DebtBondage', 'WithholdsDocuments'], observedByOrgId: orgId },
  });
  if (indicators.error) throw new Error('indicators: ' + indicators.error.code);
  const { revision } = answer(indicators.data);

  for (let attempt = 0; attempt < 200; attempt += 1) {
    const timeline = await client.GET('/journeys/{journeyId}/timeline', {
      params: { path: { journeyId }, query: { order: 'occurred' } },
    });
    if (timeline.error && timeline.error.code !== 'NOT_FOUND') throw new Error(timeline.error.code);
    const entries = timeline.data === undefined ? [] : answer(timeline.data).entries;
    if (entries.length >= 3) {
      const types: string[] = entries.map((entry) => entry.type);
      return { personId, journeyId, revision, types };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the timeline never showed the journey');
}
`;
