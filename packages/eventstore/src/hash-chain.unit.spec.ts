import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonObject } from '@waypoint/contracts';
import { payloadHash, payloadHashOfCanonical } from './hash-chain.js';
import { canonicalJsonOf } from './validate-append.js';

const jsonObject = fc.dictionary(fc.string(), fc.jsonValue()) as fc.Arbitrary<JsonObject>;

describe('canonical JSON and payload hashes', () => {
  it('validation makes the same canonical text as the reader, whatever the key order', () => {
    fc.assert(
      fc.property(jsonObject, (value) => {
        const reordered = JSON.parse(
          JSON.stringify(Object.fromEntries(Object.entries(value).reverse())),
        ) as JsonObject;
        expect(canonicalJsonOf(value, 'data')).toBe(canonicalJson(reordered));
      }),
    );
  });

  it('the append-time hash equals the hash recomputed from what was read back', () => {
    fc.assert(
      fc.property(jsonObject, jsonObject, (data, extra) => {
        const metadata = {
          occurredAt: '2026-01-01T00:00:00.000Z',
          actor: { userId: 'u', role: 'r', orgId: 'o' },
          correlationId: 'c',
          causationId: 'd',
          ...extra,
        };
        const payload = { stream: 'case-1', id: 'id-1', type: 'Happened', schemaVersion: 2 };
        const atAppend = payloadHashOfCanonical(
          payload,
          canonicalJsonOf(data, 'data'),
          canonicalJsonOf(metadata, 'metadata'),
        );
        const readBack = JSON.parse(JSON.stringify({ data, metadata })) as {
          data: JsonObject;
          metadata: typeof metadata;
        };
        expect(payloadHash({ ...payload, ...readBack })).toBe(atAppend);
      }),
    );
  });
});
