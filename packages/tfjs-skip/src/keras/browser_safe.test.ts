import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
// Every source of src/keras, its layers/ folder included (paths relative to src/keras).
const sources = readdirSync(here, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const importsOf = (text: string) =>
  [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm), ...text.matchAll(/import\('([^']+)'\)/g)].map(
    (m) => m[1],
  );
const ALLOWED = new Set(['@tensorflow/tfjs', 'fflate', 'h5wasm']);
/**
 * Browser-safe files of the package outside src/keras, as paths from src/: the io checks, the layer
 * classes the bridge builds, and what those import (each imports only @tensorflow/tfjs and these).
 */
const SAFE_OUTSIDE = /^(io\/[a-z_]+|skip_connection|composite_layer|errors|shapes|blocks\/(checks|drop_path))\.js$/;

/** `spec`, imported by `file` (a path in src/keras), as a path from src/. */
const fromSrc = (file: string, spec: string) => posix.join('keras', posix.dirname(file), spec);

describe('src/keras runs in the browser', () => {
  it.each(sources)('%s imports only tfjs, fflate, h5wasm and browser-safe files of the package', (file) => {
    const text = readFileSync(here + file, 'utf8');
    const imports = importsOf(text).filter(
      (s) => !ALLOWED.has(s) && !/^keras\/[a-z_0-9/]+\.js$/.test(fromSrc(file, s)),
    );
    expect(imports.filter((s) => !SAFE_OUTSIDE.test(fromSrc(file, s)))).toEqual([]);
    expect(text).not.toMatch(/\b(process|Buffer|require)\b[.(]/);
  });

  it('loads h5wasm only when a Keras file is read or written (a dynamic import)', () => {
    const text = readFileSync(here + 'hdf5.ts', 'utf8');
    expect(text).toMatch(/import\('h5wasm'\)/);
    expect(text).toMatch(/^import type \* as H5 from 'h5wasm';/m);
  });
});
