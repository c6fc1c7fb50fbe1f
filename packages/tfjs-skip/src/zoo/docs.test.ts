/**
 * Runs every ```ts block of docs/zoo.md, as examples.test.ts runs the
 * `@example`s of the sources. `tfjs-skip` resolves to the package's root
 * exports together with the blocks and the zoo, whatever the exports map
 * says today.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as root from '../index.js';
import * as blocks from '../blocks/index.js';
import * as zoo from './index.js';
import { renderZooDoc } from '../../scripts/gen_zoo_docs.js';

const skip = { ...root, ...blocks, ...zoo };
const MODULES: Record<string, unknown> = {
  '@tensorflow/tfjs': tf,
  'tfjs-skip': skip,
  'tfjs-skip/blocks': blocks,
  'tfjs-skip/zoo': zoo,
};

const doc = readFileSync(new URL('../../docs/zoo.md', import.meta.url), 'utf8');
const blocksOfCode = [...doc.matchAll(/(```|~~~)ts\n([\s\S]*?)\n\1/g)].map((m) => ({
  line: doc.slice(0, m.index).split('\n').length,
  code: m[2],
}));

function runnable(code: string): string {
  const lines = code.split('\n').map((line) => {
    const imp = /^import\s+(.+?)\s+from\s+'([^']+)';\s*$/.exec(line);
    if (imp) {
      const [, clause, spec] = imp as unknown as [string, string, string];
      const mod = `__modules[${JSON.stringify(spec)}]`;
      return clause.startsWith('* as ')
        ? `const ${clause.slice(5)} = ${mod};`
        : `const ${clause.replace(/\s+as\s+/g, ': ')} = ${mod};`;
    }
    const check = /^(.*?);?\s*\/\/ => (.+)$/.exec(line);
    return check && check[1].trim() !== ''
      ? `__expect(${check[1]}, ${check[2]}, ${JSON.stringify(line.trim())});`
      : line;
  });
  const wrapped = `async function __example(__modules, __expect) {\n${lines.join('\n')}\n}`;
  return ts.transpileModule(wrapped, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
}

describe('docs/zoo.md examples', () => {
  it('has an example in every block and model section', () => {
    const sections = doc.split('\n### ').slice(1);
    expect(sections.length).toBe(6 + zoo.ZOO_MODELS.length);
    for (const section of sections) expect(section, section.split('\n')[0]).toMatch(/(```|~~~)ts\n/);
  });

  it('holds the docs of every registered model as the registry has them (npm run docs -w tfjs-skip)', () => {
    expect(doc).toBe(renderZooDoc(doc));
    for (const model of zoo.ZOO_MODELS) expect(doc, model.id).toContain(model.docs);
  });

  it.each(blocksOfCode.map((b) => [`docs/zoo.md:${b.line}`, b] as const))('%s', async (_where, example) => {
    for (const [, spec] of example.code.matchAll(/from '([^']+)'/g))
      expect(MODULES, `unknown import ${spec}`).toHaveProperty([spec]);
    type Runner = (m: unknown, e: unknown) => Promise<void>;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the zoo docs' examples is the point
    const run = (new Function(`${runnable(example.code)}\nreturn __example;`) as () => Runner)();
    let checks = 0;
    await run(MODULES, (actual: unknown, expected: unknown, line: string) => {
      checks++;
      expect(actual, line).toEqual(expected);
    });
    expect(checks, 'an example states its result with `// => value`').toBeGreaterThan(0);
  });
});
