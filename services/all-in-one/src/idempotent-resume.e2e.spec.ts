import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { EventStore, RecordedEvent } from '@waypoint/eventstore';
import { http } from '@waypoint/service-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { allInOneConfigSchema } from './config.js';
import { startEmbedded } from './embedded.js';
import { demoToken } from './tokens.js';

/**
 * Issue 16: a write killed between its append and its answer. The embedded process runs in a
 * child that dies (SIGKILL) right after the append; the client retries the same Idempotency-Key
 * on the restarted process once the claim timed out, and gets 201 with what the first run
 * created, nothing appended twice.
 */
const here = dirname(fileURLToPath(import.meta.url));
const CLAIM_TIMEOUT_MS = 300;
const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** A data folder holding the demo organisations and one registered person, and a caseworker's token. */
async function folderWithPerson(): Promise<{ folder: string; personId: string; token: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'waypoint-resume-'));
  folders.push(folder);
  const embedded = await startEmbedded(
    allInOneConfigSchema.parse({ DATA_DIR: folder, DEMO_JOURNEYS: '0' }),
    quiet,
  );
  try {
    const token = await demoToken(embedded.secrets.signingKey.privateJwk, 'caseworker');
    const registered = await http(embedded.app)
      .post('/persons', {
        identity: { givenName: 'Amara', familyName: 'Okafor', birthDate: '1990-04-12' },
        gender: 'Feminine',
        ageBand: '30-38',
        child: 'no',
        citizenship: ['NG'],
        languages: ['en'],
      })
      .as(token)
      .expect(201);
    return { folder, personId: (registered.body as { personId: string }).personId, token };
  } finally {
    await embedded.close();
  }
}

/**
 * Opens a journey with an Idempotency-Key on a child process that dies right after appending to
 * a stream starting with `prefix`. Resolves once the child is dead; the request got no answer.
 */
async function openJourneyOnDyingProcess(
  folder: string,
  prefix: string,
  request: { body: object; key: string; token: string },
): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@waypoint/source',
      '--import',
      'tsx',
      join(here, 'fixtures', 'dies-after-append.ts'),
      folder,
      prefix,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) => {
    child.once('exit', (_code, signal) => {
      resolve(signal);
    });
  });
  try {
    let url: string | undefined;
    for await (const line of createInterface({ input: child.stdout })) {
      const match = /^listening (\S+)$/.exec(line);
      if (match) {
        url = match[1];
        break;
      }
    }
    if (url === undefined) throw new Error('the child process ended before it served');
    const answer = fetch(`${url}/journeys`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${request.token}`,
        'content-type': 'application/json',
        'idempotency-key': request.key,
      },
      body: JSON.stringify(request.body),
    });
    await expect(answer).rejects.toThrow();
    expect(await exited).toBe('SIGKILL');
  } finally {
    child.kill('SIGKILL');
  }
}

interface Opened {
  journeyId: string;
  revision: number;
  eventIds: string[];
}

describe('an Idempotency-Key write whose process died between its append and its answer', () => {
  const journeyEvents = (store: EventStore, journeyId: string) =>
    collect(store.readStream(`identification-${journeyId}`));

  it('answers the retry after the claim timeout with the journey the first run opened, appended once', async () => {
    const { folder, personId, token } = await folderWithPerson();
    const config = allInOneConfigSchema.parse({ DATA_DIR: folder, DEMO_JOURNEYS: '0' });
    const key = randomUUID();
    const body = { personId, jurisdiction: 'NL' };

    // The journey's own stream is the last append of the request: the first run dies after it.
    await openJourneyOnDyingProcess(folder, 'identification-', { body, key, token });

    const restarted = await startEmbedded(config, quiet, undefined, {
      idempotency: { claimTimeoutMs: CLAIM_TIMEOUT_MS },
    });
    try {
      const personAfterCrash = await collect(restarted.store.readStream(`person-${personId}`));
      const opening = personAfterCrash.at(-1);
      expect(opening?.type).toBe('PersonJourneyOpened');
      const journeyId = (opening?.data as { journeyId: string }).journeyId;
      const journeyAfterCrash = await journeyEvents(restarted.store, journeyId);
      expect(journeyAfterCrash).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, CLAIM_TIMEOUT_MS));

      const retry = await http(restarted.app)
        .post('/journeys', body)
        .as(token)
        .header('idempotency-key', key)
        .expect(201);
      expect(retry.body).toEqual({
        journeyId,
        revision: 0,
        eventIds: [opening?.id, journeyAfterCrash[0]?.id],
      });
      expect(await collect(restarted.store.readStream(`person-${personId}`))).toEqual(
        personAfterCrash,
      );
      expect(await journeyEvents(restarted.store, journeyId)).toEqual(journeyAfterCrash);

      // From now on the answer is stored: a further retry replays it.
      const replay = await http(restarted.app)
        .post('/journeys', body)
        .as(token)
        .header('idempotency-key', key)
        .expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(retry.body);
    } finally {
      await restarted.close();
    }
  }, 120_000);

  it('makes the appends the first run never made, with the ids it would have made', async () => {
    const { folder, personId, token } = await folderWithPerson();
    const config = allInOneConfigSchema.parse({ DATA_DIR: folder, DEMO_JOURNEYS: '0' });
    const key = randomUUID();
    const body = { personId, jurisdiction: 'NL' };

    // The person's stream is the first append: the first run dies before the journey's own.
    await openJourneyOnDyingProcess(folder, 'person-', { body, key, token });

    const restarted = await startEmbedded(config, quiet, undefined, {
      idempotency: { claimTimeoutMs: CLAIM_TIMEOUT_MS },
    });
    try {
      const personAfterCrash = await collect(restarted.store.readStream(`person-${personId}`));
      const opening = personAfterCrash.at(-1);
      expect(opening?.type).toBe('PersonJourneyOpened');
      const journeyId = (opening?.data as { journeyId: string }).journeyId;
      expect(await journeyEvents(restarted.store, journeyId)).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, CLAIM_TIMEOUT_MS));

      const retry = await http(restarted.app)
        .post('/journeys', body)
        .as(token)
        .header('idempotency-key', key)
        .expect(201);
      const opened = retry.body as Opened;
      expect(opened.journeyId).toBe(journeyId);
      expect(opened.eventIds[0]).toBe(opening?.id);
      expect(await collect(restarted.store.readStream(`person-${personId}`))).toEqual(
        personAfterCrash,
      );
      const journey = await journeyEvents(restarted.store, journeyId);
      expect(journey.map((event) => [event.type, event.id])).toEqual([
        ['JourneyOpened', opened.eventIds[1]],
      ]);
    } finally {
      await restarted.close();
    }
  }, 120_000);
});
