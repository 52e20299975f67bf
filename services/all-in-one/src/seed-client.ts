import type { FastifyInstance } from 'fastify';
import type { JWK } from 'jose';
import { demoToken } from './tokens.js';

export interface SeedClient {
  token(user: string): Promise<string>;
  get(url: string, user: string): Promise<Record<string, unknown>>;
  post(url: string, body: unknown, user: string): Promise<Record<string, unknown>>;
}

/** Tokens are minted once per user and renewed a minute before they expire (a long seed outlives one). */
const TOKEN_SECONDS = 900;

/** The demo seed's client: requests through `inject`, as a client would send them over HTTP. */
export function seedClient(app: FastifyInstance, privateJwk: JWK): SeedClient {
  const tokens = new Map<string, { token: string; until: number }>();
  const token = async (user: string): Promise<string> => {
    const cached = tokens.get(user);
    if (cached && cached.until > Date.now()) return cached.token;
    const fresh = await demoToken(privateJwk, user, TOKEN_SECONDS);
    tokens.set(user, { token: fresh, until: Date.now() + (TOKEN_SECONDS - 60) * 1_000 });
    return fresh;
  };
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    user: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${await token(user)}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    if (response.statusCode >= 300)
      throw new Error(
        `seed: ${method} ${url} answered ${String(response.statusCode)}: ${response.body}`,
      );
    return response.json<Record<string, unknown>>();
  };
  return {
    token,
    get: (url, user) => call('GET', url, user),
    post: (url, body, user) => call('POST', url, user, body),
  };
}
