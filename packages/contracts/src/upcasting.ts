import type { JsonObject } from './json.js';

/**
 * Lifts stored events written under an older schema version to the current one, on read. An
 * upcaster takes the data of version n and returns the data of version n + 1; the chain runs until
 * the current version. Stored events are never rewritten.
 */
export type Upcaster = (data: JsonObject) => JsonObject;

export class Upcasters {
  private readonly chains = new Map<string, Map<number, Upcaster>>();

  constructor(private readonly currentVersions: ReadonlyMap<string, number>) {}

  /** Registers the step from `fromVersion` to `fromVersion + 1` for `type`. */
  register(type: string, fromVersion: number, upcast: Upcaster): this {
    const chain = this.chains.get(type) ?? new Map<number, Upcaster>();
    chain.set(fromVersion, upcast);
    this.chains.set(type, chain);
    return this;
  }

  upcast(type: string, schemaVersion: number, data: JsonObject): JsonObject {
    const current = this.currentVersions.get(type);
    if (current === undefined) throw new UnknownEventTypeError(type);
    if (schemaVersion > current) throw new UnknownEventVersionError(type, schemaVersion, current);
    let lifted = data;
    for (let version = schemaVersion; version < current; version += 1) {
      const step = this.chains.get(type)?.get(version);
      if (!step) throw new UnknownEventVersionError(type, version, current);
      lifted = step(lifted);
    }
    return lifted;
  }
}

export class UnknownEventTypeError extends Error {
  readonly code = 'UNKNOWN_EVENT_TYPE';
  constructor(readonly type: string) {
    super(`No schema for event type ${type}`);
    this.name = 'UnknownEventTypeError';
  }
}

export class UnknownEventVersionError extends Error {
  readonly code = 'UNKNOWN_EVENT_VERSION';
  constructor(
    readonly type: string,
    readonly version: number,
    readonly current: number,
  ) {
    super(`No upcaster for ${type} v${String(version)} (current v${String(current)})`);
    this.name = 'UnknownEventVersionError';
  }
}
