import { randomUUID } from 'node:crypto';
import { readableCategories, type Category, type EncryptedField } from '@waypoint/contracts';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectCode, newMasterKey, uniqueSubject } from './contract/index.js';
import { FieldCipher } from './field-cipher.js';
import type { JsonObject, JsonValue } from './json.js';
import { MemoryKeyStore } from './memory/index.js';

const ALL = new Set<Category>(['identity', 'location', 'health', 'legal', 'notes']);

/** Re-encodes one base64url part of the envelope with its first byte flipped. */
function flip(field: EncryptedField, part: 'iv' | 'ct' | 'tag'): EncryptedField {
  const bytes = Buffer.from(field[part], 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return { ...field, [part]: bytes.toString('base64url') };
}

describe('FieldCipher', () => {
  let keys: MemoryKeyStore;
  let cipher: FieldCipher;
  let subject: string;
  let eventId: string;
  beforeEach(() => {
    keys = new MemoryKeyStore({ masterKey: newMasterKey('k1') });
    cipher = new FieldCipher(keys);
    subject = uniqueSubject();
    eventId = randomUUID();
  });

  describe('a value encrypted under a live key', () => {
    it('decrypts to the same value with the same event id, and its envelope names subject, category and path', async () => {
      const value = { given: 'Ana', family: 'Pérez', aliases: ['Anita', null, 3] };
      const field = await cipher.encrypt(subject, 'identity', value, {
        eventId,
        path: 'data.name',
      });
      expect(field).toMatchObject({
        $enc: 'aes-256-gcm/v1',
        subject,
        category: 'identity',
        path: 'data.name',
      });
      expect(JSON.stringify(field)).not.toContain('Ana');
      expect(await cipher.decrypt(field, eventId)).toEqual({ ok: true, value });
    });

    it('returns any JSON value unchanged (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (value) => {
          const json = value as JsonValue;
          const field = await cipher.encrypt(subject, 'notes', json, { eventId, path: 'data.x' });
          const decrypted = await cipher.decrypt(field, eventId);
          expect(decrypted).toEqual({ ok: true, value: JSON.parse(JSON.stringify(json)) });
        }),
        { numRuns: 300 },
      );
    });

    it('draws a fresh IV each time, so equal values do not give equal ciphertexts', async () => {
      const aad = { eventId, path: 'data.name' };
      const [a, b] = await Promise.all([
        cipher.encrypt(subject, 'identity', 'Ana', aad),
        cipher.encrypt(subject, 'identity', 'Ana', aad),
      ]);
      expect(a.iv).not.toBe(b.iv);
      expect(a.ct).not.toBe(b.ct);
    });

    it('pads the plaintext, so the ciphertext tells a length only to within 32 bytes', async () => {
      const aad = { eventId, path: 'data.name' };
      const short = await cipher.encrypt(subject, 'identity', 'Al', aad);
      const longer = await cipher.encrypt(subject, 'identity', 'Alexandra Maria', aad);
      expect(short.ct.length).toBe(longer.ct.length);
    });

    it('refuses what is not JSON rather than changing it', async () => {
      const aad = { eventId, path: 'data.age' };
      await expectCode(cipher.encrypt(subject, 'health', Number.NaN, aad), 'INVALID_VALUE');
      await expectCode(
        cipher.encrypt(subject, 'health', { a: undefined } as unknown as JsonValue, aad),
        'INVALID_VALUE',
      );
      await expectCode(
        cipher.encrypt(subject, 'health', 1, { eventId: 'a\nb', path: 'data.age' }),
        'INVALID_EVENT_ID',
      );
      await expectCode(
        cipher.encrypt(subject, 'health', 1, { eventId, path: 'data\nage' }),
        'INVALID_PATH',
      );
    });
  });

  describe('a value bound to its event and path', () => {
    let field: EncryptedField;
    beforeEach(async () => {
      field = await cipher.encrypt(subject, 'location', 'Shelter 4, Room 2', {
        eventId,
        path: 'data.address',
      });
    });

    it('does not decrypt under another event id', async () => {
      await expectCode(cipher.decrypt(field, randomUUID()), 'DECRYPTION_FAILED');
    });

    it('does not decrypt when its envelope claims another path', async () => {
      const error = await expectCode(
        cipher.decrypt({ ...field, path: 'data.notes' }, eventId),
        'DECRYPTION_FAILED',
      );
      expect(error.message).not.toContain('Shelter');
    });

    it('does not decrypt with its ciphertext, tag or IV altered, or its tag cut short', async () => {
      for (const part of ['ct', 'tag', 'iv'] as const) {
        await expectCode(cipher.decrypt(flip(field, part), eventId), 'DECRYPTION_FAILED');
      }
      const shortTag = Buffer.from(field.tag, 'base64url').subarray(0, 12).toString('base64url');
      await expectCode(cipher.decrypt({ ...field, tag: shortTag }, eventId), 'DECRYPTION_FAILED');
    });

    it('does not decrypt when moved to another subject or another category', async () => {
      const other = uniqueSubject();
      await keys.keyFor(other, 'location');
      await keys.keyFor(subject, 'identity');
      await expectCode(cipher.decrypt({ ...field, subject: other }, eventId), 'DECRYPTION_FAILED');
      await expectCode(
        cipher.decrypt({ ...field, category: 'identity' }, eventId),
        'DECRYPTION_FAILED',
      );
    });

    it('refuses an envelope that is not an aes-256-gcm/v1 field', async () => {
      await expectCode(
        cipher.decrypt({ ...field, $enc: 'rot13' } as unknown as EncryptedField, eventId),
        'INVALID_ENCRYPTED_FIELD',
      );
    });
  });

  describe('a value whose key was destroyed', () => {
    it('decrypts to erased, and nothing more can be encrypted under that key', async () => {
      const field = await cipher.encrypt(subject, 'health', 'HIV+', { eventId, path: 'data.dx' });
      await keys.destroy(subject, ['health'], 'erasure-request');
      expect(await cipher.decrypt(field, eventId)).toEqual({ ok: false, reason: 'erased' });
      await expectCode(
        cipher.encrypt(subject, 'health', 'x', { eventId, path: 'data.dx' }),
        'KEY_DESTROYED',
      );
    });
  });

  describe('a value whose key this store never held', () => {
    it('throws KEY_NOT_FOUND and creates no key', async () => {
      const elsewhere = new FieldCipher(new MemoryKeyStore({ masterKey: newMasterKey('k1') }));
      const field = await elsewhere.encrypt(subject, 'legal', 'case 12', {
        eventId,
        path: 'data.case',
      });
      await expectCode(cipher.decrypt(field, eventId), 'KEY_NOT_FOUND');
      expect(await keys.findKey(subject, 'legal')).toBeNull();
    });
  });

  describe('encryptPaths', () => {
    const data = (): JsonObject => ({
      code: 'VT-1',
      person: { name: 'Ana Pérez', phones: ['+34 600', '+34 611'] },
      note: 'met at the border',
    });

    it('encrypts the values at the planned paths in a copy, each recording data.<path>', async () => {
      const original = data();
      const encrypted = await cipher.encryptPaths(eventId, original, [
        { path: 'person.name', subject, category: 'identity' },
        { path: 'person.phones.1', subject, category: 'location' },
        { path: 'note', subject, category: 'notes' },
      ]);
      expect(original).toEqual(data());
      expect(encrypted.code).toBe('VT-1');
      const person = encrypted.person as unknown as { name: EncryptedField; phones: JsonValue[] };
      expect(person.name).toMatchObject({ path: 'data.person.name', category: 'identity' });
      expect(person.phones[0]).toBe('+34 600');
      expect(person.phones[1]).toMatchObject({ path: 'data.person.phones.1' });
      const { value, revealed } = await cipher.reveal(encrypted, eventId, ALL);
      expect(value).toEqual(data());
      expect(revealed).toEqual(new Set(['identity', 'location', 'notes']));
    });

    it('skips values that are missing or already encrypted', async () => {
      const once = await cipher.encryptPaths(eventId, data(), [
        { path: 'note', subject, category: 'notes' },
      ]);
      const twice = await cipher.encryptPaths(eventId, once, [
        { path: 'note', subject, category: 'notes' },
        { path: 'person.birthDate', subject, category: 'identity' },
        { path: 'person.phones.7', subject, category: 'location' },
        { path: 'code.length', subject, category: 'notes' },
      ]);
      expect(twice).toEqual(once);
    });

    it('never reaches through a prototype', async () => {
      const result = await cipher.encryptPaths(eventId, data(), [
        { path: '__proto__.polluted', subject, category: 'notes' },
        { path: 'person.constructor', subject, category: 'notes' },
      ]);
      expect(result).toEqual(data());
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses a malformed path before encrypting anything', async () => {
      await expectCode(
        cipher.encryptPaths(eventId, data(), [
          { path: 'person..name', subject, category: 'identity' },
        ]),
        'INVALID_PATH',
      );
    });
  });

  describe('reveal', () => {
    it('shows what the reader may see, hides the rest as restricted, shows destroyed keys as erased, and names what it revealed', async () => {
      const other = uniqueSubject();
      const record = await cipher.encryptPaths(
        eventId,
        {
          name: 'Ana',
          shelter: 'Casa 3',
          lawyer: 'L. Gómez',
          partner: { name: 'Luis' },
          intake: [{ note: 'arrived at night' }],
          ageBand: '18-24',
        },
        [
          { path: 'name', subject, category: 'identity' },
          { path: 'shelter', subject, category: 'location' },
          { path: 'lawyer', subject, category: 'legal' },
          { path: 'partner.name', subject: other, category: 'identity' },
          { path: 'intake.0.note', subject, category: 'notes' },
        ],
      );
      await keys.destroy(other, ['identity'], 'erasure-request');

      const { value, revealed } = await cipher.reveal(
        record,
        eventId,
        readableCategories(['shelter_staff']),
      );
      expect(value).toEqual({
        name: 'Ana',
        shelter: 'Casa 3',
        lawyer: { $hidden: 'restricted', category: 'legal' },
        partner: { name: { $hidden: 'erased', category: 'identity' } },
        intake: [{ note: 'arrived at night' }],
        ageBand: '18-24',
      });
      expect(revealed).toEqual(new Set(['identity', 'location', 'notes']));
    });

    it('reveals nothing and asks the key store nothing for a reader with no categories', async () => {
      const record = await cipher.encryptPaths(eventId, { name: 'Ana' }, [
        { path: 'name', subject, category: 'identity' },
      ]);
      await keys.destroy(subject, ['identity'], 'erasure-request');
      await keys.close();
      // Closed, the key store would throw if asked; restricted also hides that the key is gone.
      const { value, revealed } = await cipher.reveal(
        record,
        eventId,
        readableCategories(['analyst']),
      );
      expect(value).toEqual({ name: { $hidden: 'restricted', category: 'identity' } });
      expect(revealed.size).toBe(0);
    });

    it('throws on a tampered field or a malformed envelope rather than returning garbage', async () => {
      const field = await cipher.encrypt(subject, 'notes', 'x', { eventId, path: 'data.note' });
      await expectCode(
        cipher.reveal({ note: { ...flip(field, 'ct') } }, eventId, ALL),
        'DECRYPTION_FAILED',
      );
      await expectCode(cipher.reveal([{ ...field }], randomUUID(), ALL), 'DECRYPTION_FAILED');
      await expectCode(
        cipher.reveal({ note: { $enc: 'aes-256-gcm/v1', ct: 'abc' } }, eventId, ALL),
        'INVALID_ENCRYPTED_FIELD',
      );
    });

    it('leaves plain values and hidden markers as they are', async () => {
      const plain = { a: [1, 'two', null, { $hidden: 'erased', category: 'notes' }], b: true };
      expect(await cipher.reveal(plain, eventId, ALL)).toEqual({
        value: plain,
        revealed: new Set(),
      });
    });
  });
});
