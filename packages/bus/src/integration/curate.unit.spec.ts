import { randomUUID } from 'node:crypto';
import { ALL_FAMILIES } from '@waypoint/contracts';
import type { JsonObject, JsonValue, RecordedEvent } from '@waypoint/eventstore';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ciphertext } from '../test-support/events.js';
import { INTEGRATION_CURATIONS, curateForIntegration } from './curate.js';

function recorded(type: string, stream: string, data: JsonObject): RecordedEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: '2025-03-01T10:00:00.000Z',
      recordedAt: '2025-03-01T10:00:01.000Z',
      actor: { userId: 'jane.doe@ngo.example', role: 'caseworker', orgId: randomUUID() },
      correlationId: randomUUID(),
      causationId: randomUUID(),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    },
    stream,
    revision: 0,
    position: '00000000000000000001',
    prevHash: null,
    hash: 'a'.repeat(64),
  };
}

const familyOf = (name: string) => ALL_FAMILIES.find((family) => family.name === name);

describe('the integration allowlist', () => {
  it.each(Object.entries(INTEGRATION_CURATIONS))(
    '%s copies only fields its family classifies as clear',
    (type, curation) => {
      const family = familyOf(curation.category);
      expect(family?.has(type)).toBe(true);
      const encrypted = Object.keys(family?.definition(type).encrypted ?? {});
      for (const field of curation.fields) {
        expect(encrypted.some((path) => path === field || path.startsWith(`${field}.`))).toBe(
          false,
        );
      }
      const shape = (family?.schemas[type] as { shape?: Record<string, unknown> } | undefined)
        ?.shape;
      expect(Object.keys(shape ?? {})).toEqual(expect.arrayContaining([...curation.fields]));
    },
  );

  it('lets no event of a journey or a person out', () => {
    const categories = new Set(Object.values(INTEGRATION_CURATIONS).map((c) => c.category));
    expect([...categories].sort()).toEqual(['organisation', 'shelterregistry']);
  });
});

describe('curating a shelter registration', () => {
  const shelterId = randomUUID();
  const event = recorded('ShelterRegistered', `shelterregistry-${shelterId}`, {
    shelterId,
    operatorOrgId: shelterId,
    country: 'BE',
    name: 'Maison Sûre',
    type: 'emergency',
    capacity: 12,
    childOnly: false,
    adultsOnly: true,
    secure: true,
    address: ciphertext('data.address', 'location'),
  });

  it('keeps the clear profile and names the shelter as its subject', () => {
    expect(curateForIntegration(event)).toEqual({
      id: event.id,
      type: 'ShelterRegistered',
      version: 1,
      occurredAt: '2025-03-01T10:00:00.000Z',
      subject: { kind: 'shelter', id: shelterId },
      data: {
        operatorOrgId: shelterId,
        country: 'BE',
        name: 'Maison Sûre',
        type: 'emergency',
        capacity: 12,
        childOnly: false,
        adultsOnly: true,
        secure: true,
      },
    });
  });

  it('drops the encrypted address, the actor and the trace context', () => {
    const text = JSON.stringify(curateForIntegration(event));
    expect(text).not.toContain('$enc');
    expect(text).not.toContain('address');
    expect(text).not.toContain('jane.doe');
    expect(text).not.toContain('traceparent');
  });
});

describe('events that stay inside', () => {
  it.each([
    ['PersonRegistered', `person-${randomUUID()}`],
    ['ShelterAdmitted', `shelter-${randomUUID()}`],
    ['ShelterAddressRead', `shelterregistry-${randomUUID()}`],
    ['PersonalDataRead', `access-shelter-${randomUUID()}`],
    ['ConclusiveGroundsDecided', `identification-${randomUUID()}`],
  ])('%s is not curated', (type, stream) => {
    expect(curateForIntegration(recorded(type, stream, {}))).toBeNull();
  });

  it('an allowlisted type from another category is not curated', () => {
    expect(
      curateForIntegration(recorded('ShelterRegistered', `shelter-${randomUUID()}`, {})),
    ).toBeNull();
  });
});

/** Any JSON, with `$enc` envelopes and plain values mixed in at every level. */
const jsonWithCiphertext: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(ciphertext('data.x')),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.oneof(fc.string(), fc.constant(ciphertext('data.y'))), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('whatever an allowlisted event holds', () => {
  it('no $enc envelope, no field outside the allowlist and no actor ever leaves', () => {
    const types = Object.keys(INTEGRATION_CURATIONS);
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.dictionary(
          fc.oneof(
            fc.constantFrom(...Object.values(INTEGRATION_CURATIONS).flatMap((c) => c.fields)),
            fc.string(),
          ),
          jsonWithCiphertext,
          { maxKeys: 8 },
        ),
        (type, data) => {
          const curation = INTEGRATION_CURATIONS[type];
          if (!curation) throw new Error('unreachable');
          const curated = curateForIntegration(
            recorded(type, `${curation.category}-${randomUUID()}`, data),
          );
          expect(curated).not.toBeNull();
          const text = JSON.stringify(curated);
          expect(text).not.toContain('$enc');
          expect(text).not.toContain('jane.doe');
          for (const field of Object.keys(curated?.data ?? {}))
            expect(curation.fields).toContain(field);
        },
      ),
      { numRuns: 300 },
    );
  });
});
