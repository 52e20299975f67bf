/** `waypoint.<service>.v1`: a service's events as stored, keyed by journey id. */
export function serviceTopic(service: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(service)) throw new Error(`not a service name: ${service}`);
  return `waypoint.${service}.v1`;
}

/** Public events for outside systems: curated, with no personal data, not even encrypted. */
export const INTEGRATION_TOPIC = 'waypoint.integration.v1';

/** Where a consumer sends the messages of `topic` it cannot read. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
