#!/usr/bin/env node
// `npm run test:keras-apps`: every keras.applications architecture of test/keras/apps.json, with and without
// its top, through src/keras/keras_apps.test.ts (every check: .keras and .h5 load and predict, one SGD step,
// both files saved back), each architecture in a vitest process of its own (KERAS_APPS=ARCH), then the
// command line's `summary`, `convert` and `train --model` on the same files (packages/cli's keras_apps.test.ts).
// Each one's outcome and numbers go to OUT/ARCH.json as it finishes, so a stopped run goes on with --resume; at the end
// OUT/README.md gets the table of every result there, and the command exits 1 if any architecture failed.
//
//   node packages/tfjs-skip/test/keras/run-apps.mjs [--resume] [--out DIR] [ARCH ...]
//   node packages/tfjs-skip/test/keras/run-apps.mjs --table [--out DIR]   (only rewrites OUT/README.md)
//
// DIR defaults to experiments/keras-apps; ARCH defaults to the whole list, in apps.json's order.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appsTable } from './apps_table.mjs';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const TEST = 'packages/tfjs-skip/src/keras/keras_apps.test.ts';
/** `summary`, `convert` and `train --model` on the files TEST had Keras write. */
const CLI_TEST = 'packages/cli/src/commands/keras_apps.test.ts';
/** Terminal colour codes (vitest's, in results written before NO_COLOR was set). */
const COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const families = JSON.parse(readFileSync(new URL('./apps.json', import.meta.url), 'utf8'));
const known = Object.values(families).flat();

const { values: options, positionals } = parseArgs({
  options: {
    resume: { type: 'boolean', default: false },
    table: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
  allowPositionals: true,
});
const unknown = positionals.filter((arch) => !known.includes(arch));
if (unknown.length > 0) {
  console.error(
    `run-apps: unknown architecture(s) ${unknown.join(', ')}; test/keras/apps.json lists ${known.join(', ')}`,
  );
  process.exit(2);
}
const out = resolve(options.out ?? join(root, 'experiments/keras-apps'));
mkdirSync(out, { recursive: true });
const archs = options.table ? [] : positionals.length > 0 ? positionals : known;

/** CPU seconds of this process's waited-for children (and theirs), from /proc; undefined off Linux. */
function childCpuSeconds() {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  return (Number(fields[13]) + Number(fields[14])) / ticks; // cutime + cstime
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
for (const [i, arch] of archs.entries()) {
  const resultFile = join(out, `${arch}.json`);
  if (options.resume && existsSync(resultFile)) {
    console.log(`[${i + 1}/${archs.length}] ${arch}: done before (${relative(root, resultFile)}), skipped`);
    continue;
  }
  const reportFile = join(out, `${arch}.report.tmp.json`);
  rmSync(reportFile, { force: true });
  // The files Keras wrote, kept for the command line's checks, then removed (the big nets' run to gigabytes).
  const files = mkdtempSync(join(tmpdir(), `keras-apps-${arch}-`));
  const started = Date.now();
  const loadStart = loadavg()[0];
  const cpuStart = childCpuSeconds();
  const env = { ...process.env, KERAS_APPS: arch, KERAS_APPS_REPORT: reportFile, KERAS_APPS_DIR: files, NO_COLOR: '1' };
  const vitest = (test) =>
    spawnSync('npx', ['vitest', 'run', test], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const library = vitest(TEST);
  const cli = vitest(CLI_TEST);
  rmSync(files, { recursive: true, force: true });
  const cpuEnd = childCpuSeconds();
  /** What failed, as vitest said it: the failing tests and their assertion messages. */
  const failures = (run) =>
    `${run.stdout}${run.stderr}`
      .replace(COLOURS, '')
      .split('\n')
      .filter((line) => /FAIL|Error|expected|Tests /.test(line))
      .slice(0, 40);
  const result = {
    arch,
    passed: library.status === 0 && cli.status === 0,
    library: library.status === 0,
    cli: cli.status === 0,
    date: new Date(started).toISOString(),
    commit,
    seconds: Math.round((Date.now() - started) / 1000),
    cpuSeconds: cpuStart === undefined ? undefined : Math.round(cpuEnd - cpuStart),
    loadAverage: [loadStart, loadavg()[0]].map((l) => Math.round(l * 10) / 10),
    failures: [...failures(library), ...failures(cli)],
    report: existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : [],
  };
  rmSync(reportFile, { force: true });
  writeFileSync(resultFile, `${JSON.stringify(result, null, 1)}\n`);
  console.log(
    `[${i + 1}/${archs.length}] ${arch}: ${result.passed ? 'passed' : 'FAILED'} in ${result.seconds} s ` +
      `(${result.cpuSeconds ?? '?'} s CPU, load ${result.loadAverage.join(' -> ')})`,
  );
}

const results = readdirSync(out)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.tmp.json'))
  .map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')))
  .sort((a, b) => known.indexOf(a.arch) - known.indexOf(b.arch));
const failed = results.filter((r) => !r.passed);
const outcome = (passed) => (passed === undefined ? 'not run' : passed ? 'passed' : 'failed');
const summary = [
  '# keras.applications, the whole list',
  '',
  `Written by \`node packages/tfjs-skip/test/keras/run-apps.mjs${options.resume ? ' --resume' : ''}\` ` +
    "(`npm run test:keras-apps`), one architecture a vitest process; the numbers are each architecture's " +
    "`ARCH.json` here. Worst relative differences `|y - y_keras| / max(1e-2, |y_keras|)`; the SGD step's is " +
    "the worst update difference over Keras's largest update of that weight. `[float64: TF.js vs Keras]`: a " +
    "check over its tolerance, judged by the float64 referee (how far TF.js and Keras's float32 each land " +
    "from Keras's float64; packages/tfjs-skip/docs/keras.md); `[loss from float64: TF.js vs Keras]`: the " +
    "step's loss, over 1e-4 from Keras's, judged the same way; `[layer by layer: WORST (LAYER)]`: an " +
    "ill-conditioned net's predictions, or a check the referee refused, with each TF.js layer fed Keras's " +
    "outputs of the layers before it (the worst layer's difference over its output's scale).",
  '',
  `${results.length} of ${known.length} architectures run, ${results.length - failed.length} passed every check.`,
  '',
  '| architecture | library checks | CLI summary, convert, train | commit | date | wall | CPU | load average |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.arch} | ${outcome(r.library ?? r.passed)} | ${outcome(r.cli)} | ${r.commit} | ${r.date.slice(0, 16)} ` +
      `| ${r.seconds} s ` +
      `| ${r.cpuSeconds ?? '-'} s | ${r.loadAverage.join(' -> ')} |`,
  ),
  '',
  ...appsTable(results.flatMap((r) => r.report)),
  '',
  ...failed.flatMap((r) => [
    `## ${r.arch}: what failed`,
    '',
    '```',
    ...r.failures.map((line) => line.replace(COLOURS, '')),
    '```',
    '',
  ]),
];
writeFileSync(join(out, 'README.md'), summary.join('\n'));
console.log(
  `${results.length - failed.length}/${results.length} passed; table in ${relative(root, join(out, 'README.md'))}`,
);
process.exit(failed.length > 0 ? 1 : 0);
