import { describe, expect, it } from 'vitest';
import { assertConfigDepth } from './config_depth.js';
import { ModelFileError } from './model_file_error.js';

function nested(depth: number): unknown {
  let value: unknown = 0;
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('assertConfigDepth', () => {
  it('accepts a config exactly at the limit and refuses one level more', () => {
    expect(() => assertConfigDepth(nested(10), 10, 'c')).not.toThrow();
    const error = (() => {
      try {
        assertConfigDepth(nested(11), 10, 'model.json');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problem).toBe('too-deep');
    expect((error as ModelFileError).message).toContain('model.json');
  });

  it('refuses a million levels with a typed error, not a stack overflow', () => {
    const text = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(() => assertConfigDepth(JSON.parse(text), 100, 'c')).toThrow(
      expect.objectContaining({ problem: 'too-deep' }),
    );
  });

  it('counts depth per branch, not total size', () => {
    const wide = { layers: Array.from({ length: 10_000 }, () => ({ config: { units: 3 } })) };
    expect(() => assertConfigDepth(wide, 4, 'c')).not.toThrow();
    expect(() => assertConfigDepth(wide, 3, 'c')).toThrow(ModelFileError);
  });
});
