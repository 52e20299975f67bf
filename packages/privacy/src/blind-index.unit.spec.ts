import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlindIndex, normaliseForIndex } from './blind-index.js';
import { expectCodeSync } from './contract/index.js';

const index = new BlindIndex(randomBytes(32));

describe('BlindIndex', () => {
  describe('normalisation', () => {
    it('gives two spellings of one name the same index', () => {
      const expected = index.compute('name', 'jose garcia');
      for (const spelling of [
        'José  García',
        '  JOSÉ\tGARCÍA\n',
        'Jose\u0301 Garci\u0301a', // decomposed accents
        'ｊｏｓｅ　ｇａｒｃｉａ', // full-width letters and an ideographic space
      ]) {
        expect(index.compute('name', spelling), spelling).toBe(expected);
      }
    });

    it('lower-cases what decomposition produces, and strips what lower-casing produces', () => {
      expect(normaliseForIndex('℡')).toBe('tel');
      expect(normaliseForIndex('İstanbul')).toBe('istanbul');
      expect(normaliseForIndex('Ｍüller ')).toBe('muller');
    });

    it('is idempotent: a normalised value normalises to itself', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme' }), (value) => {
          const once = normaliseForIndex(value);
          expect(normaliseForIndex(once)).toBe(once);
        }),
      );
    });
  });

  describe('separation', () => {
    it('gives different values different indexes', () => {
      expect(index.compute('name', 'jose garcia')).not.toBe(index.compute('name', 'josé garcía m'));
    });

    it('gives the same value under another kind another index', () => {
      expect(index.compute('name', '1990-04-02')).not.toBe(
        index.compute('birth-date', '1990-04-02'),
      );
    });

    it('gives the same value under another key another index', () => {
      expect(new BlindIndex(randomBytes(32)).compute('name', 'jose garcia')).not.toBe(
        index.compute('name', 'jose garcia'),
      );
    });

    it('is an HMAC-SHA256 in base64url: 43 characters that do not contain the value', () => {
      const value = index.compute('name', 'jose garcia');
      expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(value).toBe(index.compute('name', 'jose garcia'));
    });
  });

  describe('refusals', () => {
    it('refuses an empty value, which would match every other empty value', () => {
      expectCodeSync(() => index.compute('name', ' \u0301\t'), 'EMPTY_BLIND_INDEX_VALUE');
    });

    it('refuses a kind that could blur the domain separation', () => {
      expectCodeSync(() => index.compute('name\nx', 'jose'), 'INVALID_BLIND_INDEX_KIND');
      expectCodeSync(() => index.compute('', 'jose'), 'INVALID_BLIND_INDEX_KIND');
    });

    it('reads its key from configuration and refuses one of the wrong length', () => {
      const key = randomBytes(32);
      expect(BlindIndex.fromConfig(`${key.toString('base64')}\n`).compute('name', 'ana')).toBe(
        new BlindIndex(key).compute('name', 'ana'),
      );
      const error = expectCodeSync(
        () => BlindIndex.fromConfig(randomBytes(16).toString('base64')),
        'INVALID_BLIND_INDEX_KEY',
      );
      expect(error.message).toMatch(/32 bytes .* decodes to 16 bytes/);
      expectCodeSync(() => new BlindIndex(randomBytes(8)), 'INVALID_BLIND_INDEX_KEY');
    });
  });
});
