import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isEncryptedField, type EncryptedField } from '@waypoint/contracts';

/** Where a canary was found in plaintext: what was scanned, and which canary. */
export interface CanaryHit {
  readonly source: string;
  readonly canary: string;
}

/**
 * The canaries that occur in `content`, as UTF-8 text. Works on anything a test can read as
 * bytes: a file, a database row, a log line, a Kafka message's key, value or headers.
 */
export function scanForCanaries(
  source: string,
  content: string | Uint8Array,
  canaries: readonly string[],
): CanaryHit[] {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return canaries
    .filter((canary) => bytes.includes(Buffer.from(canary, 'utf8')))
    .map((canary) => ({ source, canary }));
}

/** Every file under `folder`, byte for byte (a database's pages, WAL and free pages included). */
export function scanFolderForCanaries(folder: string, canaries: readonly string[]): CanaryHit[] {
  const hits: CanaryHit[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    hits.push(
      ...(statSync(path).isDirectory()
        ? scanFolderForCanaries(path, canaries)
        : scanForCanaries(path, readFileSync(path), canaries)),
    );
  }
  return hits;
}

/** Unique, greppable strings that no generator or fixture would produce by chance. */
export function newCanaries(count: number, tag: string): string[] {
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
  return Array.from({ length: count }, (_, index) => `CANARY${tag}${String(index)}X${run}`);
}

/**
 * Every encrypted field inside a value (an event's data, a Kafka message's parsed value): a test
 * then checks each one of the erased person no longer decrypts.
 */
export function encryptedFieldsOf(value: unknown): EncryptedField[] {
  if (isEncryptedField(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(encryptedFieldsOf);
  if (typeof value === 'object' && value !== null)
    return Object.values(value).flatMap(encryptedFieldsOf);
  return [];
}
