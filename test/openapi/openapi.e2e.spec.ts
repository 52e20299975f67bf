import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  allInOneConfigSchema,
  demoToken,
  startEmbedded,
  type Embedded,
} from '@waypoint/all-in-one';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drive } from './client-program.js';
import { compileClient, generateTypes } from './compile-client.js';
import { lintDocument } from './lint-document.js';
import {
  bodyProperties,
  operationsOf,
  type OpenApiDocument,
  type Operation,
} from './openapi-walk.js';

/** The share of request-body properties with a description, at least. */
const RATIO = 1;

const folder = mkdtempSync(join(tmpdir(), 'waypoint-openapi-'));
const quiet = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});

let embedded: Embedded;
let baseUrl: string;
let document: OpenApiDocument;
let text: string;

beforeAll(async () => {
  const config = allInOneConfigSchema.parse({ DATA_DIR: join(folder, 'data'), DEMO_JOURNEYS: '0' });
  embedded = await startEmbedded(config, quiet);
  baseUrl = await embedded.app.listen({ host: '127.0.0.1', port: 0 });
  const response = await fetch(`${baseUrl}/openapi.json`);
  text = await response.text();
  document = JSON.parse(text) as OpenApiDocument;
}, 120_000);

afterAll(async () => {
  await embedded.close();
  rmSync(folder, { recursive: true, force: true });
});

function operation(path: string, method: string): Operation {
  const found = document.paths[path]?.[method];
  if (found === undefined) throw new Error(`${method} ${path} is not documented`);
  return found;
}

describe('the OpenAPI document of the embedded app', () => {
  it("passes Redocly's recommended rules, without an error or a warning", async () => {
    expect(await lintDocument(document)).toEqual([]);
  });

  it('gives every operation a unique operationId', () => {
    const ids = operationsOf(document).map(({ operation: op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('types the success answer of every operation', () => {
    const untyped = operationsOf(document)
      .filter(({ operation: op }) =>
        Object.entries(op.responses).every(
          ([status, answer]) => !status.startsWith('2') || answer.content === undefined,
        ),
      )
      .map(({ method, path }) => `${method} ${path}`);
    expect(untyped).toEqual([]);
  });

  it('holds the problem schema once, as a component every refusal refers to', () => {
    expect(text.split('"Problem details (RFC 9457)"').length - 1).toBe(1);
    expect(operation('/journeys/{journeyId}/timeline', 'get').responses['4XX']).toEqual({
      $ref: '#/components/responses/Problem',
    });
    expect(text.length).toBeLessThan(400_000);
  });

  it('never offers an encrypted-field envelope as an input', () => {
    const inputs = operationsOf(document).map(({ operation: op }) =>
      JSON.stringify([op.requestBody, op.parameters]),
    );
    expect(inputs.filter((input) => input.includes('$enc'))).toEqual([]);
  });

  it('documents If-Match and Idempotency-Key on commands, and the probes', () => {
    expect(operation('/journeys/{journeyId}/first-contact', 'post').parameters).toEqual(
      expect.arrayContaining([
        { $ref: '#/components/parameters/IfMatch' },
        { $ref: '#/components/parameters/IdempotencyKey' },
      ]),
    );
    expect(operation('/health', 'get').security).toEqual([]);
    expect(operation('/ready', 'get').security).toEqual([]);
  });

  it.each([
    ['/analytics/charts/{file}', ['image/svg+xml', 'image/png']],
    ['/analytics/dashboard', ['text/html']],
    ['/analytics/exports/ctdc.csv', ['text/csv']],
    ['/audit/reports/journeys/{journeyId}', ['application/json', 'text/csv', 'text/html']],
  ])('declares the content types %s answers with', (path, types) => {
    expect(Object.keys(operation(path, 'get').responses['200']?.content ?? {})).toEqual(types);
  });

  it('describes the properties of the request bodies', () => {
    const properties = bodyProperties(document);
    const described = properties.filter((property) => property.description !== undefined);
    expect(properties.length).toBeGreaterThan(300);
    expect(described.length / properties.length).toBeGreaterThanOrEqual(RATIO);
  });
});

describe('the examples of the document', () => {
  it.each([['/persons'], ['/journeys']])('offer a body for POST %s', (path) => {
    const media = operation(path, 'post').requestBody?.content['application/json'];
    expect(media?.example).toBeDefined();
  });

  it('register a person the API accepts', async () => {
    const example = operation('/persons', 'post').requestBody?.content['application/json']?.example;
    const token = await demoToken(embedded.secrets.signingKey.privateJwk, 'caseworker');
    const response = await fetch(`${baseUrl}/persons`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(example),
    });
    expect(response.status).toBe(201);
  });
});

describe('a client generated from /openapi.json', () => {
  it('compiles (strict) and drives a journey against the listening app', async () => {
    await generateTypes(document, folder);
    const { errors, javascript } = compileClient(folder);
    expect(errors).toEqual([]);
    const module = join(folder, 'client.mjs');
    writeFileSync(module, javascript);
    const { driveJourney } = (await import(pathToFileURL(module).href)) as {
      driveJourney: (
        create: typeof createClient,
        baseUrl: string,
        token: string,
        orgId: string,
      ) => Promise<Drive>;
    };
    const token = await demoToken(embedded.secrets.signingKey.privateJwk, 'caseworker');
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      org: string;
    };
    const drive = await driveJourney(createClient, baseUrl, token, claims.org);
    expect(drive.types).toEqual(
      expect.arrayContaining(['JourneyOpened', 'FirstContactRecorded', 'IndicatorsObserved']),
    );
  });

  it('does not compile when an answer the program reads is typed never', async () => {
    const withoutTimeline = structuredClone(document);
    const timeline = withoutTimeline.paths['/journeys/{journeyId}/timeline']?.get;
    if (timeline === undefined) throw new Error('no timeline');
    delete timeline.responses['200'];
    const control = join(folder, 'control');
    mkdirSync(control);
    await generateTypes(withoutTimeline, control);
    expect(compileClient(control).errors.join('\n')).toMatch(/never/);
  });
});
