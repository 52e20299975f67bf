function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `ctdc.csv` → `CtdcCsv`, `next-review` → `NextReview`, `{journeyId}` → `ByJourneyId`. */
function segmentName(segment: string): string {
  const parameter = /^\{(.+)\}$/.exec(segment);
  const words = (parameter?.[1] ?? segment).split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  return (parameter === null ? '' : 'By') + words.map(capitalised).join('');
}

/**
 * A stable operation id from the method and the route template: `GET /journeys/{journeyId}/timeline`
 * is `getJourneysByJourneyIdTimeline`. Two routes differ in method or template, so their ids differ.
 */
export function operationIdOf(method: string, path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '');
  return method.toLowerCase() + segments.map(segmentName).join('');
}
