import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  isEncryptedField,
  type Category,
  type EncryptedField,
  type HiddenField,
} from '@waypoint/contracts';
import { DecryptionFailedError, InvalidInputError, KeyNotFoundError } from './errors.js';
import { parseDotPath, readSlot, slotAt, writeSlot } from './json-paths.js';
import { assertJsonValue, isJsonObject, type JsonObject, type JsonValue } from './json.js';
import type { KeyStore } from './key-store.js';
import { assertCategory, assertEventId, assertFieldPath, assertSubject } from './validation.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * Plaintext is padded with spaces to a multiple of this, which JSON.parse ignores: the ciphertext
 * then tells the length of a name or a note only to within 32 bytes.
 */
const PAD_TO = 32;

export type DecryptResult =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly reason: 'erased' };

/** Encrypt the value at `path` (a dot path into the event's data) under the subject's key. */
export interface EncryptionPlanItem {
  readonly path: string;
  readonly subject: string;
  readonly category: Category;
}

export interface Revealed {
  /** The input with every encrypted field replaced by its plaintext or a HiddenField. */
  readonly value: JsonValue;
  /** The categories whose plaintext was revealed: what the access record must name. */
  readonly revealed: Set<Category>;
}

/**
 * AES-256-GCM field encryption under per-subject, per-category keys. The associated data is the
 * event id and the field's original path, so a ciphertext copied to another event or another
 * field fails to decrypt; the path travels in the envelope so an upcaster can move the field.
 */
export class FieldCipher {
  constructor(private readonly keys: KeyStore) {}

  async encrypt(
    subject: string,
    category: Category,
    value: JsonValue,
    aad: { readonly eventId: string; readonly path: string },
  ): Promise<EncryptedField> {
    assertSubject(subject);
    assertCategory(category);
    assertEventId(aad.eventId);
    assertFieldPath(aad.path);
    assertJsonValue(value);
    return seal(await this.keys.keyFor(subject, category), subject, category, value, aad);
  }

  async decrypt(field: EncryptedField, eventId: string): Promise<DecryptResult> {
    assertEncryptedField(field);
    assertEventId(eventId);
    const key = await this.keys.findKey(field.subject, field.category);
    if (key === 'destroyed') return { ok: false, reason: 'erased' };
    if (key === null) throw new KeyNotFoundError(field.category);
    return { ok: true, value: open(key, field, eventId) };
  }

  /**
   * A copy of `data` with the value at each planned path encrypted; the envelope records the
   * path as `data.<path>`. Missing values, and values already encrypted, are left as they are.
   */
  async encryptPaths(
    eventId: string,
    data: JsonObject,
    plan: readonly EncryptionPlanItem[],
  ): Promise<JsonObject> {
    assertEventId(eventId);
    const targets = plan.map((item) => {
      assertSubject(item.subject);
      assertCategory(item.category);
      assertFieldPath(`data.${item.path}`);
      return { ...item, segments: parseDotPath(item.path) };
    });
    const copy = structuredClone(data);
    const keys = new KeyMemo((subject, category) => this.keys.keyFor(subject, category));
    for (const { path, subject, category, segments } of targets) {
      const slot = slotAt(copy, segments);
      const value = slot && readSlot(slot);
      if (!slot || value === undefined || isEncryptedField(value)) continue;
      assertJsonValue(value, path);
      const key = await keys.get(subject, category);
      const field = seal(key, subject, category, value, { eventId, path: `data.${path}` });
      writeSlot(slot, { ...field });
    }
    return copy;
  }

  /**
   * Replaces every encrypted field inside `value`: its plaintext when its category is allowed,
   * `{ $hidden: 'restricted' }` when not (without touching the key store), and
   * `{ $hidden: 'erased' }` when its key was destroyed. Tampering throws; it never yields garbage.
   */
  async reveal(
    value: JsonValue,
    eventId: string,
    allowed: ReadonlySet<Category>,
  ): Promise<Revealed> {
    assertEventId(eventId);
    const revealed = new Set<Category>();
    const keys = new KeyMemo((subject, category) => this.keys.findKey(subject, category));
    const walk = async (node: JsonValue): Promise<JsonValue> => {
      if (Array.isArray(node)) {
        const out: JsonValue[] = [];
        for (const item of node) out.push(await walk(item));
        return out;
      }
      if (!isJsonObject(node)) return node;
      if (Object.hasOwn(node, '$enc')) {
        assertEncryptedField(node);
        if (!allowed.has(node.category)) return hidden('restricted', node.category);
        const key = await keys.get(node.subject, node.category);
        if (key === 'destroyed') return hidden('erased', node.category);
        if (key === null) throw new KeyNotFoundError(node.category);
        const plaintext = open(key, node, eventId);
        revealed.add(node.category);
        return plaintext;
      }
      const out: JsonObject = {};
      for (const [name, item] of Object.entries(node)) {
        Object.defineProperty(out, name, {
          value: await walk(item),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    };
    return { value: await walk(value), revealed };
  }
}

/** Fetches each subject's key once per call, however many of their fields there are. */
class KeyMemo<T> {
  private readonly found = new Map<string, Promise<T>>();
  constructor(private readonly fetch: (subject: string, category: Category) => Promise<T>) {}

  get(subject: string, category: Category): Promise<T> {
    const id = `${category}\n${subject}`;
    let key = this.found.get(id);
    if (!key) {
      key = this.fetch(subject, category);
      this.found.set(id, key);
    }
    return key;
  }
}

function hidden(kind: 'erased' | 'restricted', category: Category): JsonObject {
  const field: HiddenField = { $hidden: kind, category };
  return { ...field };
}

function associatedData(eventId: string, path: string): Buffer {
  return Buffer.from(`${eventId}\n${path}`, 'utf8');
}

function seal(
  key: Buffer,
  subject: string,
  category: Category,
  value: JsonValue,
  aad: { readonly eventId: string; readonly path: string },
): EncryptedField {
  const json = JSON.stringify(value);
  const length = Buffer.byteLength(json, 'utf8');
  const padded = Buffer.alloc(Math.max(PAD_TO, Math.ceil(length / PAD_TO) * PAD_TO), ' ');
  padded.write(json, 'utf8');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(aad.eventId, aad.path));
  const ct = Buffer.concat([cipher.update(padded), cipher.final()]);
  return {
    $enc: 'aes-256-gcm/v1',
    subject,
    category,
    path: aad.path,
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
  };
}

function open(key: Buffer, field: EncryptedField, eventId: string): JsonValue {
  const fail = (): DecryptionFailedError => new DecryptionFailedError(field.category, field.path);
  const iv = strictBase64url(field.iv);
  const ct = strictBase64url(field.ct);
  const tag = strictBase64url(field.tag);
  if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !ct) throw fail();
  let plaintext: string;
  try {
    // authTagLength pins the tag to 16 bytes: without it, Node accepts a truncated tag.
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(eventId, field.path));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch {
    throw fail();
  }
  return JSON.parse(plaintext) as JsonValue;
}

/** Refuses the other spellings Buffer.from would accept, so the envelope has exactly one form. */
function strictBase64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function assertEncryptedField(value: unknown): asserts value is EncryptedField {
  if (!isEncryptedField(value)) {
    throw new InvalidInputError(
      'INVALID_ENCRYPTED_FIELD',
      'field',
      'An object with $enc is not a valid aes-256-gcm/v1 encrypted field',
    );
  }
}
