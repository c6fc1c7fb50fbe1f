import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const importsOf = (text: string) =>
  [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm), ...text.matchAll(/import\('([^']+)'\)/g)].map(
    (m) => m[1],
  );
const ALLOWED = new Set(['@tensorflow/tfjs', 'fflate', 'h5wasm']);

describe('src/keras runs in the browser', () => {
  it.each(sources)('%s imports only tfjs, fflate, h5wasm and browser-safe files of the package', (file) => {
    const text = readFileSync(here + file, 'utf8');
    const imports = importsOf(text).filter((s) => !ALLOWED.has(s) && !/^\.\/[a-z_0-9]+\.js$/.test(s));
    expect(imports.filter((s) => !/^\.\.\/(io\/[a-z_]+|skip_connection)\.js$/.test(s))).toEqual([]);
    expect(text).not.toMatch(/\b(process|Buffer|require)\b[.(]/);
  });

  it('loads h5wasm only when a Keras file is read or written (a dynamic import)', () => {
    const text = readFileSync(here + 'hdf5.ts', 'utf8');
    expect(text).toMatch(/import\('h5wasm'\)/);
    expect(text).toMatch(/^import type \* as H5 from 'h5wasm';/m);
  });
});
