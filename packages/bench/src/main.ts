/**
 * `npm run bench`: trains and runs the zoo's toy ResNet and ResNet-20 on
 * every available TF.js backend and beside PyTorch CPU, and writes
 * bench-results/report.json and report.md.
 *
 *   node --import tsx src/main.ts [--quick] [--models toy-resnet,resnet-20]
 *     [--engines cpu,wasm,wasm-dp,tensorflow,pytorch] [--batch 64] [--workers 2] [--out dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case, Measurement, OverheadResult } from './cases.js';
import { makePlan, parseArgs } from './plan.js';
import { markdown, measurementTable, overheadTable, rate, type Report } from './report.js';
import { runTfjsCase, runTorchCase, torchAvailability } from './runners.js';

const started = Date.now();
const argv = process.argv.slice(2);
const options = parseArgs(argv);
const out = resolve(options.out ?? fileURLToPath(new URL('../bench-results', import.meta.url)));
const torch = await torchAvailability();
const { cases, skipped } = makePlan({ ...options, torch });
const loadAverageStart = loadavg();

const measurements: Measurement[] = [];
const failed: Report['failed'] = [];
let overhead: OverheadResult | undefined;
let torchVersion: string | undefined;

for (const [i, c] of cases.entries()) {
  const what = describe(c);
  const t0 = Date.now();
  try {
    if (c.kind === 'torch') {
      const { measurement, version } = await runTorchCase(c);
      torchVersion = version;
      measurements.push(measurement);
      log(
        i,
        what,
        `${measurement.msPerBatch.toFixed(1)} ms/batch, ${measurement.imagesPerSecond.toFixed(1)} images/s`,
        t0,
      );
    } else {
      const result = await runTfjsCase(c);
      if (result.kind === 'overhead') {
        overhead = result.overhead;
        log(
          i,
          what,
          `SkipConnection/functional: inference ${overhead.infer.ratio.toFixed(2)}x, train ` +
            `${overhead.train.ratio.toFixed(2)}x`,
          t0,
        );
      } else {
        const m = result.measurement;
        if (c.kind === 'tfjs' && c.backend === 'cpu' && c.batch < options.batch) {
          m.note =
            `cpu: batch ${c.batch}, ${c.runs} timed run(s); per-image figures stand for batch ` +
            `${options.batch} (extrapolated)`;
        }
        measurements.push(m);
        log(
          i,
          what,
          `${m.msPerBatch.toFixed(1)} ms/batch, ${m.imagesPerSecond.toFixed(1)} images/s, tensor growth ` +
            `${m.tensorGrowth}`,
          t0,
        );
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failed.push({ what, error: message });
    log(i, what, `FAILED: ${message}`, t0);
  }
}

const report: Report = {
  date: new Date(started).toISOString(),
  command: `node --import tsx packages/bench/src/main.ts${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`,
  quick: options.quick,
  durationSeconds: (Date.now() - started) / 1000,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    ...(torchVersion != null ? { torch: torchVersion } : {}),
    loadAverageStart,
    loadAverageEnd: loadavg(),
    ...autogroup(),
  },
  measurements: rate(measurements),
  ...(overhead != null ? { overhead } : {}),
  skipped,
  failed,
};
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(out, 'report.md'), markdown(report));

console.log(`\n${measurementTable(report.measurements)}\n`);
if (overhead != null) console.log(`${overheadTable(overhead)}\n`);
for (const s of skipped) console.log(`not run: ${s.what}: ${s.reason}`);
console.log(`wrote ${join(out, 'report.json')} and report.md in ${report.durationSeconds.toFixed(0)} s`);
if (failed.length > 0) {
  console.error(`${failed.length} case(s) failed: ${failed.map((f) => f.what).join('; ')}`);
  process.exitCode = 1;
}

function autogroup(): { autogroupScheduling?: boolean } {
  try {
    return { autogroupScheduling: readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1' };
  } catch {
    return {};
  }
}

function describe(c: Case): string {
  switch (c.kind) {
    case 'torch':
      return `${c.model} ${c.task} pytorch ${c.threads} thread(s) batch ${c.batch}`;
    case 'tfjs':
      return `${c.model} ${c.task} ${c.backend}${c.workers > 0 ? ` x${c.workers} workers` : ''} batch ${c.batch}`;
    case 'overhead':
      return `toy-resnet SkipConnection vs functional on ${c.backend} batch ${c.batch}`;
  }
}

function log(i: number, what: string, result: string, t0: number): void {
  console.log(`[${i + 1}/${cases.length}] ${what}: ${result} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
