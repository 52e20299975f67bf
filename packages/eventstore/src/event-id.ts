import { v7 } from 'uuid';

/** A new event id: UUIDv7, so ids sort roughly by creation time. */
export function newEventId(): string {
  return v7();
}
