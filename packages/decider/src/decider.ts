/**
 * A decider: the pure core of a write model. `decide` turns a command and the current state into
 * new events (or refuses with a DomainError); `evolve` folds an event into the state. No I/O, no
 * clock, no randomness: what they need comes in with the command.
 */
export interface Decider<Command, Event, State> {
  readonly decide: (command: Command, state: State) => Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

/** An event as the domain sees it: a type and its data. The envelope is the handler's business. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export function fold<Event, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
