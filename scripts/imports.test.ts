/**
 * The structure's two rules, checked on every TypeScript file of the
 * repository: packages meet only through their `exports` (no relative path
 * into another package, no subpath a package does not export), and no file
 * imports itself through a chain of others (no import cycle, within a
 * package or between packages).
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The units that meet only through `exports`: each package, the playground, the examples, the root scripts. */
const UNITS = [...readdirSync(join(ROOT, 'packages')).map((p) => `packages/${p}`), 'playground', 'examples', 'scripts'];

interface Pkg {
  readonly dir: string;
  readonly exports: readonly string[];
}

/** Workspace packages by name, with their export keys (`.`, `./node`, `./sample/*`). */
const PACKAGES = new Map<string, Pkg>(
  readdirSync(join(ROOT, 'packages')).map((p) => {
    const json = JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')) as {
      name: string;
      exports?: Record<string, unknown>;
    };
    return [json.name, { dir: `packages/${p}`, exports: Object.keys(json.exports ?? { '.': null }) }];
  }),
);

function sourceFiles(dir: string): string[] {
  const full = join(ROOT, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full).flatMap((name) => {
    if (['node_modules', 'dist', 'generated', 'screenshots', '.venv'].includes(name)) return [];
    const path = `${dir}/${name}`;
    const stat = lstatSync(join(ROOT, path)); // symlinks (the hostile corpus has some) are not followed
    if (stat.isDirectory()) return sourceFiles(path);
    if (!stat.isFile()) return [];
    return /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const FILES = UNITS.flatMap((unit) =>
  sourceFiles(unit).filter((f) => !f.startsWith('packages/tfjs-wasm-train/assembly/')),
);

function unitOf(file: string): string {
  return UNITS.find((u) => file === u || file.startsWith(`${u}/`)) ?? '';
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** The repository file a relative specifier names (`./x.js` is `./x.ts`), or null. */
function resolveRelative(file: string, spec: string): string | null {
  const base = resolve(ROOT, dirname(file), spec.replace(/\?.*$/, ''));
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return hit === undefined ? null : relative(ROOT, hit).split(sep).join('/');
}

/** Test code may use the repository's own tooling (root `scripts/`, such as the Python environment). */
function isToolingForTests(file: string, target: string): boolean {
  return unitOf(target) === 'scripts' && (/\.test\.ts$/.test(file) || /\/test\//.test(file));
}

function exportMatches(keys: readonly string[], subpath: string): boolean {
  return keys.some((k) => k === subpath || (k.endsWith('/*') && subpath.startsWith(k.slice(0, -1))));
}

describe('imports', () => {
  it('finds the files it checks', () => {
    expect(FILES.length).toBeGreaterThan(200);
    expect(PACKAGES.has('tfjs-skip')).toBe(true);
  });

  it("never cross a package boundary except through that package's exports", () => {
    const problems: string[] = [];
    for (const file of FILES) {
      for (const spec of specifiers(file)) {
        if (spec.startsWith('.')) {
          const target = resolveRelative(file, spec);
          if (target !== null && unitOf(target) !== unitOf(file) && !isToolingForTests(file, target)) {
            problems.push(`${file}: '${spec}' reaches into ${unitOf(target)}`);
          }
          continue;
        }
        const [scopeOrName, ...rest] = spec.replace(/\?.*$/, '').split('/');
        const name = scopeOrName.startsWith('@') ? `${scopeOrName}/${rest.shift()}` : scopeOrName;
        const pkg = PACKAGES.get(name);
        if (pkg === undefined) continue; // a dependency from npm
        const subpath = rest.length === 0 ? '.' : `./${rest.join('/')}`;
        if (!exportMatches(pkg.exports, subpath))
          problems.push(`${file}: '${spec}' is not in ${name}'s exports (${pkg.exports.join(', ')})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('have no cycle, between files or between packages', () => {
    const graph = new Map<string, string[]>();
    for (const file of FILES) {
      const targets: string[] = [];
      for (const spec of specifiers(file)) {
        if (spec.startsWith('.')) {
          const target = resolveRelative(file, spec);
          if (target !== null) targets.push(target);
        } else {
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
          const pkg = PACKAGES.get(name);
          if (pkg !== undefined && pkg.dir !== unitOf(file)) targets.push(`package:${pkg.dir}`);
        }
      }
      graph.set(file, targets);
      // A package depends on every package its files import: one node per package for cycles between them.
      const own = `package:${unitOf(file)}`;
      graph.set(own, [...(graph.get(own) ?? []), ...targets.filter((t) => t.startsWith('package:'))]);
    }
    expect(cycles(graph)).toEqual([]);
  });
});

/** Strongly connected components of more than one node, or with a self-loop (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}
