/**
 * Writes the "Models" part of docs/zoo.md from the model registry: a table
 * of every model and each model's own docs section. `npm run docs -w
 * tfjs-skip` runs it; `src/zoo/docs.test.ts` fails while the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ZOO_MODELS, zooNamePattern, type ZooModel } from '../src/zoo/index.js';

export const ZOO_DOC = fileURLToPath(new URL('../docs/zoo.md', import.meta.url));
const HEADING = '## Models\n';

/** The Models part of docs/zoo.md, from its heading to the end of the file. */
export function modelsSection(models: readonly ZooModel[] = ZOO_MODELS): string {
  const rows = models.map((m) => {
    const twin = m.twin === undefined ? '' : ` Twin: \`${m.twin}\`.`;
    return `| \`${zooNamePattern(m)}\` | ${m.description}.${twin} | ${m.source} |`;
  });
  return [
    HEADING,
    '<!-- Generated from src/zoo/models/ by `npm run docs -w tfjs-skip`: edit the model files, not this part. -->',
    '',
    'Every model is one file in `src/zoo/models/`, named after its id in snake_case. The id is the name',
    '`tfjs-skip train --model` takes (with `-N` for the size), the playground lists and the bench uses.',
    '',
    '| id | model | source |',
    '| --- | --- | --- |',
    ...rows,
    '',
    ...models.map((m) => m.docs),
  ].join('\n');
}

/** docs/zoo.md with its Models part regenerated. */
export function renderZooDoc(current: string): string {
  const at = current.indexOf(`\n${HEADING}`);
  if (at < 0) throw new Error(`docs/zoo.md has no "${HEADING.trim()}" heading to generate under`);
  return `${current.slice(0, at + 1)}${modelsSection()}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(ZOO_DOC, renderZooDoc(readFileSync(ZOO_DOC, 'utf8')));
  console.log(`wrote ${ZOO_DOC}`);
}
