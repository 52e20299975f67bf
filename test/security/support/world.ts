import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  allInOneConfigSchema,
  DEMO_ORGANISATIONS,
  demoToken,
  startEmbedded,
  type Embedded,
} from '@waypoint/all-in-one';
import type { Role } from '@waypoint/contracts';
import type { RecordedEvent } from '@waypoint/eventstore';
import { mintToken } from '@waypoint/service-kit';
import { decodeJwt, type JWK } from 'jose';
import { v7 } from 'uuid';
import { ErrorBodies } from './error-bodies.js';

/** The demo organisations by what they are in a demo journey. */
export const ORGS = {
  outreach: DEMO_ORGANISATIONS[0].orgId,
  shelter: DEMO_ORGANISATIONS[1].orgId,
  clinic: DEMO_ORGANISATIONS[2].orgId,
  legalAid: DEMO_ORGANISATIONS[3].orgId,
  inspectorate: DEMO_ORGANISATIONS[4].orgId,
} as const;

export interface Claims {
  readonly sub: string;
  readonly org: string;
  readonly roles: readonly Role[];
}

export interface WorldOptions {
  readonly demoJourneys?: number;
  readonly rateLimitPerMinute?: number;
  /** Every log line of the app goes here; discarded by default. */
  readonly log?: Writable;
  readonly tokenMaxLifetimeSeconds?: number;
}

/** A full embedded app (every service, demo data), in its own data folder, and ways to call it. */
export interface World {
  readonly embedded: Embedded;
  readonly issuer: string;
  readonly audience: string;
  readonly privateJwk: JWK;
  /** Every error body this world's `call` saw, for the leak check. */
  readonly errors: ErrorBodies;
  /** A token the app accepts, for any user, organisation and roles. */
  tokenFor(claims: Claims, ttlSeconds?: number): Promise<string>;
  /** A demo user's token (`caseworker`, `shelter`, `legal`, ...). */
  demo(user: string): Promise<string>;
  /** One request; its error body (if any) is kept for the leak check. */
  call(request: CallRequest): Promise<CallResponse>;
  /** The events of every stream whose name starts with `prefix`. */
  eventsIn(prefix: string): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

export interface CallRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly token?: string;
  /** Sent as JSON unless a string (sent as is). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface CallResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly text: string;
  readonly json: unknown;
}

export const discard = (): Writable =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

function parsed(text: string, type: unknown): unknown {
  if (typeof type !== 'string' || !type.includes('json') || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const folder = mkdtempSync(join(tmpdir(), 'waypoint-security-'));
  const config = allInOneConfigSchema.parse({
    DATA_DIR: folder,
    DEMO_JOURNEYS: String(options.demoJourneys ?? 4),
    RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute ?? 1_000_000),
    ...(options.tokenMaxLifetimeSeconds === undefined
      ? {}
      : { TOKEN_MAX_LIFETIME_SECONDS: String(options.tokenMaxLifetimeSeconds) }),
  });
  let embedded: Embedded;
  try {
    embedded = await startEmbedded(config, options.log ?? discard());
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  const privateJwk = embedded.secrets.signingKey.privateJwk;
  // The issuer and audience the install signs with, read back from one of its own tokens.
  const sample = decodeJwt(await demoToken(privateJwk, 'caseworker'));
  const issuer = String(sample.iss);
  const audience = String(sample.aud);
  const errors = new ErrorBodies();
  const demoTokens = new Map<string, string>();
  return {
    embedded,
    issuer,
    audience,
    privateJwk,
    errors,
    tokenFor: (claims, ttlSeconds = 300) =>
      mintToken(privateJwk, { ...claims, ttlSeconds, issuer, audience }),
    async demo(user) {
      const token = demoTokens.get(user) ?? (await demoToken(privateJwk, user));
      demoTokens.set(user, token);
      return token;
    },
    async call(request) {
      const response = await embedded.app.inject({
        method: request.method,
        url: request.url,
        headers: {
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(request.token === undefined ? {} : { authorization: `Bearer ${request.token}` }),
          ...request.headers,
        },
        ...(request.body === undefined
          ? {}
          : {
              payload:
                typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
            }),
      });
      const answer: CallResponse = {
        status: response.statusCode,
        headers: response.headers,
        text: response.body,
        json: parsed(response.body, response.headers['content-type']),
      };
      if (answer.status >= 400) errors.keep(`${request.method} ${request.url}`, answer.text);
      return answer;
    },
    async eventsIn(prefix) {
      const events: RecordedEvent[] = [];
      for await (const event of embedded.store.readAll()) {
        if (event.stream.startsWith(prefix)) events.push(event);
      }
      return events;
    },
    async close() {
      await embedded.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A fresh id, for users, organisations and anything the app must not know. */
export const freshId = (): string => v7();

/** Starting a full app with demo data takes seconds on a busy machine: hooks get this long. */
export const SETUP_TIMEOUT = 120_000;
