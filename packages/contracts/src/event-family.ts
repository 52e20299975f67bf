import type { RecordedEvent } from './envelope.js';
import type { JsonObject } from './json.js';
import type { z } from 'zod';
import { valueAt, type EventDefinition } from './classification.js';
import { isEncryptedField } from './encrypted-field.js';
import { Upcasters, UnknownEventTypeError } from './upcasting.js';

/**
 * One event family: the zod schema of each event type's data, its definition (version, origin,
 * classification) and its upcasters. It encodes domain events for the store and decodes stored
 * events of any version back into the current domain shape.
 */
export class EventFamily<Event extends { readonly type: string; readonly data: unknown }> {
  readonly upcasters: Upcasters;
  private readonly byType: ReadonlyMap<string, EventDefinition>;

  constructor(
    readonly name: string,
    readonly schemas: Readonly<Record<string, z.ZodType>>,
    readonly definitions: readonly EventDefinition[],
  ) {
    this.byType = new Map(definitions.map((definition) => [definition.type, definition]));
    for (const type of Object.keys(schemas)) {
      if (!this.byType.has(type))
        throw new Error(`${name}: ${type} has a schema but no definition`);
    }
    this.upcasters = new Upcasters(
      new Map(definitions.map((definition) => [definition.type, definition.schemaVersion])),
    );
  }

  definition(type: string): EventDefinition {
    const definition = this.byType.get(type);
    if (!definition) throw new UnknownEventTypeError(type);
    return definition;
  }

  encode(event: Event): { type: string; schemaVersion: number; data: JsonObject } {
    const definition = this.definition(event.type);
    const schema = this.schemaOf(event.type);
    return {
      type: event.type,
      schemaVersion: definition.schemaVersion,
      data: schema.parse(event.data) as JsonObject,
    };
  }

  /**
   * An event stored at the current version was validated by `encode` before it was stored, and the
   * store refuses edits: it is taken as it is, which keeps folding long streams cheap. An older
   * version is lifted by the upcasters and validated against the current schema.
   */
  decode(recorded: Pick<RecordedEvent, 'type' | 'schemaVersion' | 'data'>): Event {
    if (recorded.schemaVersion === this.definition(recorded.type).schemaVersion) {
      return { type: recorded.type, data: recorded.data } as unknown as Event;
    }
    const data = this.upcasters.upcast(recorded.type, recorded.schemaVersion, recorded.data);
    return {
      type: recorded.type,
      data: this.schemaOf(recorded.type).parse(data),
    } as unknown as Event;
  }

  /** The classified paths of an event that still hold plaintext: must be empty before storing. */
  unsealedPaths(type: string, data: unknown): string[] {
    return Object.keys(this.definition(type).encrypted).filter((path) => {
      const value = valueAt(data, path);
      return value !== undefined && !isEncryptedField(value);
    });
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  private schemaOf(type: string): z.ZodType {
    const schema = this.schemas[type];
    if (!schema) throw new UnknownEventTypeError(type);
    return schema;
  }
}
