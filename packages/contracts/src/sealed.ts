import { z } from 'zod';
import { encryptedFieldSchema } from './encrypted-field.js';

/**
 * A personal value inside an event: plaintext while the event is being decided in memory, an
 * EncryptedField once stored. Only the classification decides which fields these are.
 */
export function sealed<Schema extends z.ZodType>(plain: Schema) {
  return z.union([encryptedFieldSchema, plain]);
}

export const freeText = z
  .string()
  .trim()
  .min(1)
  .max(4_000)
  .describe('Free text for people to read, 1 to 4,000 characters');
