import type { PendingErasure, PurgeReport, ErasureCoordinator } from '@waypoint/privacy';
import { ErasureDuty, participantConfigSchema, type ErasureDutyLog } from '@waypoint/runtime';
import { ConfigError, loadConfig } from '@waypoint/service-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';

const env = {
  EVENT_STORE_URL: 'postgres://waypoint@db:5432/events',
  READ_MODEL_DATABASE_URL: 'postgres://waypoint@db:5432/waypoint',
  AUTH_JWKS_URL: 'https://id.example.org/jwks.json',
  AUTH_ISSUER: 'https://id.example.org/',
  AUTH_AUDIENCE: 'waypoint',
  MASTER_KEY_FILE: '/run/secrets/master_key',
};
const erasureEnv = {
  IDENTIFICATION_URL: 'http://identification:3000',
  ERASURE_SERVICE_TOKEN_FILE: '/run/secrets/erasure_token',
};

function problemKeys(environment: Record<string, string>): string[] {
  try {
    loadConfig(participantConfigSchema({}), environment);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.key).sort();
    throw error;
  }
  return [];
}

const REQUEST_1 = '0193c000-0000-7000-8000-0000000000e1';
const REQUEST_2 = '0193c000-0000-7000-8000-0000000000e2';
const PERSON = '0193c000-0000-7000-8000-0000000000a1';

/** The identification service's side, in memory: what waits for which service, what was confirmed. */
function coordinatorWith(pending: PendingErasure[]) {
  const confirmed: { requestId: string; service: string; report: PurgeReport }[] = [];
  let calls = 0;
  const coordinator: ErasureCoordinator = {
    pending: () => {
      calls += 1;
      return Promise.resolve(
        pending.filter((item) => !confirmed.some((done) => done.requestId === item.requestId)),
      );
    },
    confirm: (requestId, service, report) => {
      confirmed.push({ requestId, service, report });
      return Promise.resolve();
    },
  };
  return { coordinator, confirmed, pendingCalls: () => calls };
}

function recordingLog(): ErasureDutyLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (_details, message) => lines.push(`info ${message}`),
    error: (_details, message) => lines.push(`error ${message}`),
  };
}

describe('the erasure keys of a service that confirms erasures', () => {
  it('need where to confirm and a token while the duty is on (the default)', () => {
    expect(problemKeys(env)).toEqual(['ERASURE_SERVICE_TOKEN', 'IDENTIFICATION_URL']);
    expect(problemKeys({ ...env, ...erasureEnv })).toEqual([]);
  });

  it('take the token as a value or a file, never both', () => {
    expect(
      problemKeys({ ...env, ...erasureEnv, ERASURE_SERVICE_TOKEN: 'eyJ.token.value' }),
    ).toEqual(['ERASURE_SERVICE_TOKEN']);
    expect(
      problemKeys({
        ...env,
        ERASURE_INTERVAL_MS: '0',
        ERASURE_SERVICE_TOKEN: 'eyJ.token.value',
        ERASURE_SERVICE_TOKEN_FILE: '/run/secrets/erasure_token',
      }),
    ).toEqual(['ERASURE_SERVICE_TOKEN']);
  });

  it('need nothing with the duty off (ERASURE_INTERVAL_MS=0)', () => {
    expect(problemKeys({ ...env, ERASURE_INTERVAL_MS: '0' })).toEqual([]);
  });

  it('are listed with the other bad keys in one start', () => {
    const { MASTER_KEY_FILE: _left, ...withoutMasterKey } = env;
    expect(
      problemKeys({ ...withoutMasterKey, IDENTIFICATION_URL: 'ftp://identification' }),
    ).toEqual(['ERASURE_SERVICE_TOKEN', 'IDENTIFICATION_URL', 'MASTER_KEY']);
  });
});

describe('an erasure duty', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('given two requests waiting for the service', () => {
    const waiting: PendingErasure[] = [
      { requestId: REQUEST_1, personId: PERSON, categories: ['identity', 'health'] },
      { requestId: REQUEST_2, personId: PERSON, categories: ['notes'] },
    ];

    it('purges, then confirms each in the name of its service, with what the purge did', async () => {
      const { coordinator, confirmed } = coordinatorWith(waiting);
      const purged: PendingErasure[] = [];
      const duty = new ErasureDuty({
        service: 'shelter',
        coordinator,
        purge: (erasure) => {
          purged.push(erasure);
          return Promise.resolve({ outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 2 });
        },
        log: recordingLog(),
      });

      expect(await duty.run()).toBe(2);
      expect(purged).toEqual(waiting);
      expect(confirmed).toEqual(
        [REQUEST_1, REQUEST_2].map((requestId) => ({
          requestId,
          service: 'shelter',
          report: { outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 2 },
        })),
      );
      expect(await duty.run()).toBe(0);
    });

    it('joins a pass already running instead of starting a second one', async () => {
      const { coordinator, pendingCalls } = coordinatorWith(waiting);
      const duty = new ErasureDuty({
        service: 'care',
        coordinator,
        purge: () => Promise.resolve({ outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 0 }),
        log: recordingLog(),
      });

      expect(await Promise.all([duty.run(), duty.run()])).toEqual([2, 2]);
      expect(pendingCalls()).toBe(1);
    });

    it('on its interval, logs a failed pass and confirms on the next one', async () => {
      vi.useFakeTimers();
      const { coordinator, confirmed } = coordinatorWith(waiting);
      let failing = true;
      const log = recordingLog();
      const duty = new ErasureDuty({
        service: 'legal',
        coordinator,
        purge: () =>
          failing
            ? Promise.reject(new Error('cache unavailable'))
            : Promise.resolve({ outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 0 }),
        log,
      });
      duty.start(1_000);

      await vi.advanceTimersByTimeAsync(1_000);
      expect(confirmed).toEqual([]);
      expect(log.lines).toEqual(['error erasure confirmations failed; retrying next pass']);

      failing = false;
      await vi.advanceTimersByTimeAsync(1_000);
      expect(confirmed.map((item) => item.requestId)).toEqual([REQUEST_1, REQUEST_2]);
      expect(log.lines.at(-1)).toBe('info erasures confirmed');

      await duty.stop();
      const lines = log.lines.length;
      await vi.advanceTimersByTimeAsync(5_000);
      expect(log.lines).toHaveLength(lines);
    });

    it('never runs on a timer with an interval of 0', async () => {
      vi.useFakeTimers();
      const { coordinator, pendingCalls } = coordinatorWith(waiting);
      const duty = new ErasureDuty({
        service: 'journey',
        coordinator,
        purge: () => Promise.resolve({ outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 0 }),
        log: recordingLog(),
      });
      duty.start(0);

      await vi.advanceTimersByTimeAsync(3_600_000);
      expect(pendingCalls()).toBe(0);
    });
  });

  describe('given no identification service configured', () => {
    it('refuses to run, naming the key', async () => {
      const duty = new ErasureDuty({
        service: 'audit',
        coordinator: undefined,
        purge: () => Promise.resolve({ outcome: 'nothing_decrypted_kept', cacheEntriesEvicted: 0 }),
        log: recordingLog(),
      });

      await expect(duty.run()).rejects.toThrow(/IDENTIFICATION_URL/);
    });
  });
});
