#!/usr/bin/env node
// The figure the README opens with is what `npm start` prints. `npm start` is
// `tfjs-skip train` on its defaults (ResNet-8 on the shipped Fashion-MNIST
// sample, seed 1) on every core, and a run is deterministic for a seed and a
// thread count, so this runs exactly that with 2 threads (the development
// machine's cores: what `npm start` does there), its output going to a
// temporary folder instead of out/resnet-8:
//
//   node scripts/npm-start-figure.mjs record   writes what it printed, its wall time, the machine and its
//                                               load, and its metrics.json to experiments/npm-start/
//   node scripts/npm-start-figure.mjs check    fails unless it prints the recorded test accuracy line
//
// README.md and packages/cli/README.md quote the record (scripts/npm_start_figure.test.ts holds them to
// it); CI runs `check`, so a change that moves the figure fails until it is recorded and quoted again.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const recordDir = join(root, 'experiments', 'npm-start');
const RECORD_LOG = join(recordDir, 'run.log');
const THREADS = 2;

/**
 * The line saying which backend ran, without why others were skipped:
 * `backend: onednn (oneDNN 2.6.3, avx512_core_bf16, 2 threads), from tfjs-skip-onednn`. The figure
 * is deterministic for a backend and instruction set, and differs between them (float rounding).
 */
function backendLine(output) {
  const line = output.split('\n').find((l) => l.startsWith('backend: ')) ?? 'backend: unknown';
  return line.replace(/ \((--backend|[a-z]+: ).*\)$/, '');
}

/** The line `tfjs-skip train` ends its run with: `test accuracy 0.8780 (loss 0.3810) on 1000 images`. */
function testAccuracyLine(output) {
  const lines = output.split('\n').filter((l) => /^test accuracy \d/.test(l));
  if (lines.length !== 1) {
    throw new Error(`expected one "test accuracy ..." line in the output, found ${lines.length}:\n${output}`);
  }
  return lines[0];
}

function runStart(out) {
  const args = ['start', '--', '--threads', String(THREADS), '--out', out];
  const load = loadavg()[0];
  const t0 = performance.now();
  const run = spawnSync('npm', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(run.stdout);
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} exited with ${run.status ?? run.signal}`);
  return { command: `npm ${args.slice(0, 4).join(' ')} --out DIR`, stdout: run.stdout, seconds, load };
}

const mode = process.argv[2];
if (mode !== 'record' && mode !== 'check') {
  console.error(`usage: node scripts/npm-start-figure.mjs record|check; received ${JSON.stringify(mode)}`);
  process.exit(2);
}
const out = mkdtempSync(join(tmpdir(), 'npm-start-'));
try {
  const run = runStart(out);
  const line = testAccuracyLine(run.stdout);
  if (mode === 'record') {
    mkdirSync(recordDir, { recursive: true });
    const machine =
      `${availableParallelism()} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, ` +
      `load average ${run.load.toFixed(1)} at the start (other jobs on the machine)`;
    const printed = run.stdout
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('>') && !l.startsWith('wrote '))
      .join('\n');
    writeFileSync(
      RECORD_LOG,
      `$ ${run.command}\n${printed}\n` +
        `# ${new Date().toISOString()}: ${run.seconds.toFixed(0)} s wall, start to finish; ${machine}\n`,
    );
    copyFileSync(join(out, 'metrics.json'), join(recordDir, 'metrics.json'));
    console.log(`npm-start-figure: recorded "${line}" in ${RECORD_LOG}`);
  } else {
    const record = readFileSync(RECORD_LOG, 'utf8');
    const recorded = testAccuracyLine(record);
    if (backendLine(run.stdout) !== backendLine(record)) {
      console.log(
        `npm-start-figure: npm start ran on "${backendLine(run.stdout)}", the record on ` +
          `"${backendLine(record)}": the figures of different backends or instruction sets differ in rounding, ` +
          `so "${line}" is not compared with "${recorded}".`,
      );
    } else if (line !== recorded) {
      console.error(
        `npm-start-figure: npm start now prints "${line}", but experiments/npm-start/run.log records ` +
          `"${recorded}", which the READMEs quote. Run \`node scripts/npm-start-figure.mjs record\` and quote ` +
          `the new figure in README.md and packages/cli/README.md (npx vitest run scripts/npm_start_figure.test.ts).`,
      );
      process.exitCode = 1;
    } else {
      console.log(`npm-start-figure: npm start prints "${line}", as recorded and quoted`);
    }
  }
} catch (error) {
  console.error(`npm-start-figure: ${/** @type {Error} */ (error).message}`);
  process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
