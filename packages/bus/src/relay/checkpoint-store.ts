import { START, type Position } from '@waypoint/eventstore';

/** Where a relay keeps how far it has forwarded the global log. */
export interface CheckpointStore {
  /** The saved position, or START when there is none. */
  load(name: string): Promise<Position>;
  /** Saves the position; a position behind the saved one is ignored (a slower twin relay). */
  save(name: string, position: Position): Promise<void>;
}

/** For the embedded mode and tests: lost with the process, so a restart relays again from START. */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly positions = new Map<string, Position>();

  load(name: string): Promise<Position> {
    return Promise.resolve(this.positions.get(name) ?? START);
  }

  save(name: string, position: Position): Promise<void> {
    const saved = this.positions.get(name) ?? START;
    if (position > saved) this.positions.set(name, position);
    return Promise.resolve();
  }
}
