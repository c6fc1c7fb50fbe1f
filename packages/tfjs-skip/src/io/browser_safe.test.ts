import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const importsOf = (text: string) =>
  [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);

describe('src/io runs in the browser', () => {
  it.each(sources)('%s imports only @tensorflow/tfjs and files of src/io', (file) => {
    const text = readFileSync(here + file, 'utf8');
    expect(importsOf(text).filter((s) => s !== '@tensorflow/tfjs' && !/^\.\/[a-z_]+\.js$/.test(s))).toEqual([]);
    expect(text).not.toMatch(/\b(process|Buffer|require)\b[.(]/);
  });

  it('sees the imports it checks', () => {
    expect(importsOf(readFileSync(here + 'load_model.ts', 'utf8'))).toContain('@tensorflow/tfjs');
    expect(importsOf("import fs from 'node:fs';")).toEqual(['node:fs']);
  });
});
