import { describe, expect, it } from 'vitest';
import { exceedsDepth } from './limit-body-depth.js';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = level % 2 ? [value] : { value };
  return value;
};

describe('the body depth limit', () => {
  it('lets bodies as deep as the limit through and refuses deeper ones', () => {
    expect(exceedsDepth(nested(32), 32)).toBe(false);
    expect(exceedsDepth(nested(33), 32)).toBe(true);
    expect(exceedsDepth({ a: 1, b: [1, 2, { c: 'd' }] }, 32)).toBe(false);
    expect(exceedsDepth(undefined, 32)).toBe(false);
  });

  it('walks a body 100,000 levels deep without running out of stack', () => {
    expect(exceedsDepth(nested(100_000), 32)).toBe(true);
  });
});
