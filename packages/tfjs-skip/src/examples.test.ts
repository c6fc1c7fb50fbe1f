/**
 * Runs every `@example` in the doc comments of every workspace package, as
 * Flux's doctests and Keras's `>>>` examples do, so no example can rot.
 *
 * An example is a ```ts fence after `@example`. Its imports of workspace
 * packages resolve to their sources; a line `expr; // => value` asserts that
 * `expr` deep-equals `value`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const packagesDir = join(root, 'packages');

interface Example {
  file: string;
  line: number;
  code: string;
}

/** Workspace import specifiers (`tfjs-skip/node`) → source files. */
function workspaceModules(): Map<string, string> {
  const map = new Map<string, string>();
  for (const dir of readdirSync(packagesDir)) {
    let pkg: { name?: string; exports?: Record<string, string | { import?: string }> };
    try {
      pkg = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as typeof pkg;
    } catch {
      continue;
    }
    for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
      const file = typeof target === 'string' ? target : target.import;
      if (!file?.startsWith('./dist/') || !file.endsWith('.js')) continue;
      const spec = sub === '.' ? pkg.name! : `${pkg.name}/${sub.slice(2)}`;
      map.set(spec, join(packagesDir, dir, 'src', file.slice('./dist/'.length, -'.js'.length) + '.ts'));
    }
  }
  return map;
}

function examplesIn(file: string): Example[] {
  const text = readFileSync(file, 'utf8');
  const found: Example[] = [];
  const re = /@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const code = m[1]
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n');
    found.push({ file: relative(root, file), line: text.slice(0, m.index).split('\n').length, code });
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

/** Rewrites imports to lookups in `__modules` and `// =>` lines to assertions. */
function toRunnable(code: string): { body: string; specifiers: string[] } {
  const specifiers: string[] = [];
  const lines = code.split('\n').map((line) => {
    const imp = /^import\s+(.+?)\s+from\s+'([^']+)';\s*$/.exec(line);
    if (imp) {
      const [, clause, spec] = imp as unknown as [string, string, string];
      specifiers.push(spec);
      const mod = `__modules[${JSON.stringify(spec)}]`;
      if (clause.startsWith('* as ')) return `const ${clause.slice(5)} = ${mod};`;
      if (clause.startsWith('{')) return `const ${clause.replace(/\s+as\s+/g, ': ')} = ${mod};`;
      return `const ${clause} = ${mod}.default;`;
    }
    const check = /^(.*?);?\s*\/\/ => (.+)$/.exec(line);
    if (check && check[1].trim() !== '') return `__expect(${check[1]}, ${check[2]}, ${JSON.stringify(line.trim())});`;
    return line;
  });
  const wrapped = `async function __example(__modules, __expect) {\n${lines.join('\n')}\n}`;
  const body = ts.transpileModule(wrapped, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  return { body, specifiers };
}

const modules = workspaceModules();
const examples = readdirSync(packagesDir)
  .map((dir) => join(packagesDir, dir, 'src'))
  .filter((dir) => existsSync(dir))
  .flatMap(sourceFiles)
  .flatMap(examplesIn);

describe('@example blocks', () => {
  it('finds the examples of the core layer', () => {
    expect(examples.filter((e) => e.file.includes('skip_connection.ts')).length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.map((e) => [`${e.file}:${e.line}`, e] as const))('%s', async (_where, example) => {
    const { body, specifiers } = toRunnable(example.code);
    const loaded: Record<string, unknown> = {};
    for (const spec of specifiers) loaded[spec] = await import(/* @vite-ignore */ modules.get(spec) ?? spec);
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running @example code is the point
    const run = (new Function(`${body}\nreturn __example;`) as () => (m: unknown, e: unknown) => Promise<void>)();
    let checks = 0;
    await run(loaded, (actual: unknown, expected: unknown, line: string) => {
      checks++;
      expect(actual, line).toEqual(expected);
    });
    expect(checks, 'an example should state its result with `// => value`').toBeGreaterThan(0);
  });
});
