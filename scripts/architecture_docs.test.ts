/**
 * `docs/architecture.md` names the files each common change touches; this
 * checks that every repository path it names exists. A path from the
 * repository root (`packages/...`, `docs/...`, `python/...`) must exist as
 * written; a shorter one (`commands/train.ts`, `head.ts`, `assembly/`) must
 * be the end of some file's or folder's path; `<id>` and the like stand for
 * a new thing's name, so only the folder before them must exist.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = 'docs/architecture.md';

/** What a file's name may end with, for a code span to be read as a path. */
const FILE = /\.(ts|mts|mjs|js|json|py|md|cc|h|sh|txt)$/;
/** Characters of a path (placeholders `<id>` included); anything else is code, a command or prose. */
const PATH_CHARACTERS = /^[\w.@<>*/-]+$/;

/** The code spans of the document outside its fenced blocks that read as repository paths. */
export function namedPaths(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
  const paths = spans.filter(
    (span) => PATH_CHARACTERS.test(span) && !span.startsWith('@') && (FILE.test(span) || span.endsWith('/')),
  );
  return [...new Set(paths)];
}

/** The part of `path` before its first placeholder segment, or the whole path when it has none. */
function beforePlaceholder(path: string): string {
  const segments = path.split('/');
  const first = segments.findIndex((segment) => /[<*]/.test(segment));
  return first === -1 ? path : segments.slice(0, first).join('/');
}

const TOP_LEVEL = new Set(readdirSync(ROOT).filter((name) => name !== 'node_modules' && !name.startsWith('.')));
const TRACKED = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
/** Every tracked file and every folder above one, folders ending in `/`. */
const KNOWN = new Set(
  TRACKED.flatMap((file) => {
    const segments = file.split('/');
    return [file, ...segments.slice(0, -1).map((_, index) => `${segments.slice(0, index + 1).join('/')}/`)];
  }),
);

/** Whether `path`, as the document writes it, names something in the repository. */
function exists(path: string): boolean {
  const known = beforePlaceholder(path);
  if (known === '') return true; // a bare placeholder, `<id>.ts`: nothing to look for
  const folder = known !== path && !known.endsWith('/') ? `${known}/` : known;
  if (TOP_LEVEL.has(folder.split('/')[0])) return existsSync(join(ROOT, folder));
  return [...KNOWN].some((entry) => entry === folder || entry.endsWith(`/${folder}`));
}

describe(`${DOC}`, () => {
  const paths = namedPaths(readFileSync(join(ROOT, DOC), 'utf8'));

  it('names the files of the common changes, by paths this check reads', () => {
    expect(paths).toContain('packages/tfjs-skip/src/merges.ts');
    expect(paths).toContain('packages/tfjs-skip/src/keras/layer_table.ts');
    expect(paths).toContain('packages/tfjs-skip/src/zoo/models/<id>.ts');
  });

  it.each(paths)('names %s, which exists', (path) => {
    expect(exists(path), `${DOC} names ${path}, which is not in the repository: correct the path or the text`).toBe(
      true,
    );
  });
});

describe('namedPaths', () => {
  it('reads code spans that are paths, and leaves out code, import specifiers and fenced blocks', () => {
    const markdown = [
      'See `packages/a/b.ts`, `head.ts`, `assembly/` and `packages/<dir>/`,',
      'not `tfjs-skip/zoo`, `@tensorflow/tfjs`, `npm run docs` or `fit(model)`.',
      '```ts',
      "import x from 'packages/fenced.ts';",
      '```',
      'Also `packages/a/b.ts` again.',
    ].join('\n');
    expect(namedPaths(markdown)).toEqual(['packages/a/b.ts', 'head.ts', 'assembly/', 'packages/<dir>/']);
  });

  it('fails a path that is not there, as the document would name it', () => {
    expect(exists('packages/tfjs-skip/src/merge_names.test.ts')).toBe(false);
    expect(exists('merge_names.test.ts')).toBe(false);
    expect(exists('packages/nowhere/<id>.ts')).toBe(false);
    expect(exists('packages/tfjs-skip/src/zoo/models/<id>.test.ts')).toBe(true);
  });
});
