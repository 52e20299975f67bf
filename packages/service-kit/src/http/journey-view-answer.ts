import { z } from 'zod';

/**
 * A journey read's answer schema: the journey id and the stream revision every view carries,
 * the route's own fields, and whatever else the view holds (a loose object: fields it adds are
 * passed on, not dropped).
 */
export function journeyViewAnswer<Shape extends z.ZodRawShape>(shape: Shape, description: string) {
  return z
    .looseObject({
      journeyId: z.uuid(),
      revision: z
        .number()
        .int()
        .nullish()
        .describe('The stream revision; absent or null while nothing is recorded'),
      ...shape,
    })
    .describe(description);
}
