import type { EventStore, ReadStreamOptions, RecordedEvent } from '@waypoint/eventstore';
import { currentOperation, isOwnId } from './operation.js';

/**
 * The revision of the first event the resumed operation appended to `stream` already (its runner
 * died before answering), or null when it appended none there.
 */
async function ownCut(store: EventStore, stream: string): Promise<number | null> {
  for await (const event of store.readStream(stream)) if (isOwnId(event.id)) return event.revision;
  return null;
}

async function* before(
  store: EventStore,
  stream: string,
  options: ReadStreamOptions | undefined,
): AsyncIterable<RecordedEvent> {
  const cut = await ownCut(store, stream);
  if (cut === null) {
    yield* store.readStream(stream, options);
    return;
  }
  if (options?.direction === 'backwards') {
    const from = Math.min(options.from ?? cut - 1, cut - 1);
    if (from < 0) return;
    yield* store.readStream(stream, { ...options, from });
    return;
  }
  let left = options?.maxCount ?? Number.POSITIVE_INFINITY;
  for await (const event of store.readStream(stream, options)) {
    if (event.revision >= cut || left <= 0) return;
    left -= 1;
    yield event;
  }
}

/**
 * The store a service decides on. Outside a resumed operation it is the store itself. Inside one
 * (an Idempotency-Key request run again after its first run died or failed), each stream reads
 * as the first run found it: up to, not including, the first event that run appended. The
 * command then decides what it decided then, with the same ids (`operationNewId`), and its
 * append at the same expected revision is a replay: the store writes nothing and returns the
 * first result, and the retry answers what the first run would have. Appends the first run never
 * made are made now. Only the event store is seen as it was: read models are read as they are.
 */
export function resumableStore(store: EventStore): EventStore {
  const resumed = (): boolean => currentOperation()?.resumed === true;
  return {
    append: (stream, events, options) => store.append(stream, events, options),
    readStream: (stream, options) =>
      resumed() ? before(store, stream, options) : store.readStream(stream, options),
    streamRevision: async (stream) => {
      if (!resumed()) return store.streamRevision(stream);
      const cut = await ownCut(store, stream);
      if (cut === null) return store.streamRevision(stream);
      return cut === 0 ? null : cut - 1;
    },
    readAllBatch: (options) => store.readAllBatch(options),
    readAll: (options) => store.readAll(options),
    subscribe: (options, handler) => store.subscribe(options, handler),
    verifyStream: (stream) => store.verifyStream(stream),
    close: () => store.close(),
  };
}
