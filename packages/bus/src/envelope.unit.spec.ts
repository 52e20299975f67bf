import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEventMessage } from './envelope.js';

const valid = {
  id: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  type: 'ShelterAdmitted',
  schemaVersion: 1,
  data: { placementId: randomUUID(), note: { $enc: 'aes-256-gcm/v1' } },
  metadata: {
    occurredAt: '2025-03-01T10:00:00.000Z',
    recordedAt: '2025-03-01T10:00:01.123Z',
    actor: { userId: 'u', role: 'caseworker', orgId: randomUUID() },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    addedByANewerWriter: true,
  },
  stream: `shelter-${randomUUID()}`,
  revision: 3,
  position: '00000000000000000042',
  prevHash: 'b'.repeat(64),
  hash: 'c'.repeat(64),
};

const message = (value: unknown, headers: Record<string, string> = {}) => ({
  value: JSON.stringify(value),
  headers,
});

describe('the envelope check', () => {
  it('accepts a recorded event and hands it back untouched', () => {
    expect(parseEventMessage(message(valid, { 'wp-event-id': valid.id }))).toEqual({
      ok: true,
      event: valid,
    });
  });

  it('refuses a value that is not JSON', () => {
    expect(parseEventMessage({ value: '{"id":', headers: {} })).toEqual({
      ok: false,
      reason: 'the value is not JSON',
    });
  });

  it.each([
    ['id', { ...valid, id: 'not-a-uuid' }, 'id is malformed'],
    ['type', { ...valid, type: 'lowercase' }, 'type is malformed'],
    ['data', { ...valid, data: [] }, 'data must be an object'],
    ['revision', { ...valid, revision: -1 }, 'revision must be an integer of at least 0'],
    [
      'schemaVersion',
      { ...valid, schemaVersion: '1' },
      'schemaVersion must be an integer of at least 1',
    ],
    ['stream', { ...valid, stream: 'Shelter' }, 'stream is malformed'],
    ['hash', { ...valid, hash: 'xyz' }, 'hash is malformed'],
    ['prevHash', { ...valid, prevHash: null }, 'prevHash must be null exactly at revision 0'],
    [
      'metadata.actor',
      { ...valid, metadata: { ...valid.metadata, actor: undefined } },
      'metadata.actor must be an object',
    ],
    [
      'metadata.recordedAt',
      { ...valid, metadata: { ...valid.metadata, recordedAt: 'yesterday' } },
      'metadata.recordedAt is malformed',
    ],
  ])('names the field when %s is wrong', (_field, value, reason) => {
    expect(parseEventMessage(message(value))).toEqual({ ok: false, reason });
  });

  it('refuses a message whose id header names another event', () => {
    expect(parseEventMessage(message(valid, { 'wp-event-id': randomUUID() }))).toEqual({
      ok: false,
      reason: 'the wp-event-id header names another event',
    });
  });
});
