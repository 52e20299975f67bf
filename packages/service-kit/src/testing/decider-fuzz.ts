import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { routeAccess } from '../auth/access.js';
import { IDEMPOTENCY_KEY_HEADER, REPLAYED_HEADER } from '../idempotency/idempotent.js';
import { arbitraryOf, bodySchemaOf, resolverOf, type OpenApiDocument } from './schema-arbitrary.js';

export interface DeciderFuzzOptions {
  readonly app: FastifyInstance;
  /** A token allowed on every command route of the service, of an organisation that sees `params`. */
  readonly token: string;
  /** Values for route parameters (e.g. `{ journeyId }`); other parameters get fresh ids. */
  readonly params: Readonly<Record<string, string>>;
  /** Ids the generated bodies pick from now and then (organisations, consents, referrals). */
  readonly knownIds?: readonly string[];
  /** The store's position: it must not move when a command is refused. */
  readonly logPosition: () => Promise<string>;
  /** The key store's contents (key ids, tombstones, destruction log): unchanged by a refusal. */
  readonly keyStore: () => unknown;
  /**
   * What the read models answer about the subject: unchanged by a refusal. By default, the
   * answers of every read route whose parameters are all in `params`.
   */
  readonly readModels?: () => Promise<unknown>;
  readonly minRoutes: number;
  /** Of the generated commands, the share that must get past validation to the decider. */
  readonly minReachedShare?: number;
  readonly numRuns?: number;
}

/** A refusal by the route's input validation: the body never reached the decider. */
const isValidationRefusal = (status: number, body: string): boolean =>
  status === 400 && body.includes('"VALIDATION_FAILED"');

/** Every read route of the app that `params` fill, as the fuzzing token sees it. */
function readRoutesOf(options: DeciderFuzzOptions): () => Promise<unknown> {
  const urls = routeAccess(options.app)
    .filter((route) => route.method === 'GET' && !('public' in route.access))
    .map((route) => route.url)
    .filter((url) => !/metrics|health|ready/.test(url))
    .filter((url) =>
      [...url.matchAll(/:([a-zA-Z]+)/g)].every(
        (match) => options.params[match[1] ?? ''] !== undefined,
      ),
    )
    .map((url) =>
      url.replace(/:([a-zA-Z]+)/g, (_match, name: string) => options.params[name] ?? ''),
    );
  return async () =>
    Promise.all(
      urls.map(async (url) => {
        const answer = await options.app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${options.token}` },
        });
        // A refusal's body names its request id: only an answer's body is a read model.
        return [url, answer.statusCode, answer.statusCode < 300 ? answer.body : ''];
      }),
    );
}

/**
 * Schema-valid commands (generated from each route's own body schema, ids often ones the app
 * knows) to every command route, so that most reach the decider: every answer is below 500, and a
 * refusal leaves the event log, the key store, the read models and the idempotency store as they
 * were (a retry with the same Idempotency-Key runs again and is refused the same way, not
 * replayed). Returns how many commands reached the decider, by route.
 */
export async function expectDecidersRefuseCleanly(
  options: DeciderFuzzOptions,
): Promise<ReadonlyMap<string, { sent: number; reached: number; refused: number }>> {
  const document = (
    await options.app.inject({ method: 'GET', url: '/openapi.json' })
  ).json<OpenApiDocument>();
  const resolve = resolverOf(document);
  const routes = routeAccess(options.app).filter(
    (route) => route.method === 'POST' && !('public' in route.access),
  );
  expect(routes.length).toBeGreaterThanOrEqual(options.minRoutes);
  const commands = fc.oneof(
    ...routes.map((route) => {
      const schema = bodySchemaOf(document, route.method, route.url);
      const body =
        schema === undefined
          ? fc.constant(undefined)
          : arbitraryOf(schema, { resolve, knownIds: options.knownIds ?? [] });
      return body.map((payload) => ({ route: route.url, payload }));
    }),
  );
  const tally = new Map<string, { sent: number; reached: number; refused: number }>();
  const readModels = options.readModels ?? readRoutesOf(options);

  await fc.assert(
    fc.asyncProperty(commands, async ({ route, payload }) => {
      const url = route.replace(
        /:([a-zA-Z]+)/g,
        (_match, name: string) => options.params[name] ?? randomUUID(),
      );
      const modelsBefore = await readModels();
      const keysBefore = JSON.stringify(options.keyStore());
      const before = await options.logPosition();
      const key = randomUUID();
      const send = () =>
        options.app.inject({
          method: 'POST',
          url,
          headers: {
            authorization: `Bearer ${options.token}`,
            [IDEMPOTENCY_KEY_HEADER]: key,
            ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
        });
      const response = await send();
      const where = `${route} ${JSON.stringify(payload)}: ${String(response.statusCode)} ${response.body}`;
      expect(response.statusCode, where).toBeLessThan(500);
      const counts = tally.get(route) ?? { sent: 0, reached: 0, refused: 0 };
      counts.sent += 1;
      if (!isValidationRefusal(response.statusCode, response.body)) counts.reached += 1;
      tally.set(route, counts);
      if (response.statusCode < 400) return;
      counts.refused += 1;

      expect(response.headers['content-type'], where).toMatch(/^application\/problem\+json/);
      expect(await options.logPosition(), `log moved: ${where}`).toBe(before);
      expect(JSON.stringify(options.keyStore()), `key store changed: ${where}`).toBe(keysBefore);
      // Nothing was stored under the key: the same request runs again and is refused again.
      const retry = await send();
      expect(retry.statusCode, `retry of ${where}`).toBe(response.statusCode);
      expect(retry.headers[REPLAYED_HEADER], `retry of ${where}`).toBeUndefined();
      expect(await options.logPosition(), `log moved on retry: ${where}`).toBe(before);
      expect(await readModels(), `read models changed: ${where}`).toEqual(modelsBefore);
    }),
    { numRuns: options.numRuns ?? 300 },
  );

  const sent = [...tally.values()].reduce((sum, counts) => sum + counts.sent, 0);
  const reached = [...tally.values()].reduce((sum, counts) => sum + counts.reached, 0);
  expect(
    reached / sent,
    `share of commands past validation: ${JSON.stringify([...tally])}`,
  ).toBeGreaterThanOrEqual(options.minReachedShare ?? 0.6);
  const routesReached = [...tally.values()].filter((counts) => counts.reached > 0).length;
  expect(routesReached, 'routes whose decider got a command').toBeGreaterThanOrEqual(
    Math.ceil(tally.size * 0.75),
  );
  return tally;
}
