/**
 * The API reference (`npm run docs`: TypeDoc with `typedoc.json`, written to
 * `docs/api/`) covers every public package, named as users import it. Each
 * workspace package whose `exports` map has code is one line of
 * typedoc.json's `entryPoints` (TypeDoc reads its entry files from that
 * map), and each code subpath's entry file opens with a comment tagged
 * `@module <import specifier>`, so the reference lists `tfjs-skip/node` where
 * TypeDoc would say `node`. TypeDoc checks the rest while it builds: every
 * export documented, no broken link, no type it cannot show.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface PackageJson {
  name: string;
  exports?: Record<string, string | { import?: string }>;
}

/** Workspace packages with code in their `exports`, and each code subpath's import specifier and source file. */
const PUBLIC = readdirSync(join(ROOT, 'packages'))
  .map((dir) => {
    const json = JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8')) as PackageJson;
    const entries = Object.entries(json.exports ?? {}).flatMap(([sub, target]) => {
      const file = typeof target === 'string' ? target : target.import;
      if (!file?.startsWith('./dist/') || !file.endsWith('.js')) return [];
      const specifier = sub === '.' ? json.name : `${json.name}/${sub.slice(2)}`;
      const source = `packages/${dir}/src/${file.slice('./dist/'.length, -'.js'.length)}.ts`;
      return [{ specifier, source }];
    });
    return { dir: `packages/${dir}`, entries };
  })
  .filter((p) => p.entries.length > 0);

const config = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')) as { entryPoints: string[] };

describe('the API reference', () => {
  it('lists every package that exports code, and nothing else', () => {
    expect([...config.entryPoints].sort()).toEqual(PUBLIC.map((p) => p.dir).sort());
  });

  it('finds the packages and subpaths the issue names', () => {
    const specifiers = PUBLIC.flatMap((p) => p.entries.map((e) => e.specifier));
    for (const s of ['tfjs-skip', 'tfjs-skip/node', 'tfjs-skip-train', 'tfjs-skip-backends', 'tfjs-skip-data']) {
      expect(specifiers).toContain(s);
    }
    expect(specifiers).toContain('tfjs-wasm-train');
  });

  it.each(PUBLIC.flatMap((p) => p.entries).map((e) => [e.specifier, e.source] as const))(
    '%s is a module of that name (%s)',
    (specifier, source) => {
      const text = readFileSync(join(ROOT, source), 'utf8');
      const first = /^\s*\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
      const tag = /@module\s+(\S+)/.exec(first)?.[1];
      expect(
        tag,
        `${source} should open with a doc comment saying what the entry is, ending in "@module ${specifier}"`,
      ).toBe(specifier);
    },
  );
});
