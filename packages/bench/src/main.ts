/**
 * `npm run bench`: trains and runs the zoo's toy ResNet and ResNet-20 on
 * every available TF.js backend (wasm, and onednn where tfjs-skip-onednn's
 * addon loads) and beside its peers (PyTorch 2.13 and Keras 3 on TensorFlow
 * 2.21, installed by the bench into `.venv`, and Debian's PyTorch), at 1 and
 * N threads, and writes bench-results/report.json and report.md.
 *
 *   node --import tsx src/main.ts [--quick] [--models toy-resnet,resnet-20]
 *     [--engines cpu,wasm,onednn,tensorflow,pytorch,pytorch-debian,keras] [--batch 64] [--threads 1,N]
 *     [--rounds 1] [--out dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PEERS, type Case, type Measurement, type OverheadResult, type Peer } from './cases.js';
import type { ModelName } from './models.js';
import { setUpPeers } from './peers.js';
import { onednnSetup } from './onednn.js';
import { makePlan, parseArgs } from './plan.js';
import { rate } from './rate.js';
import { medianRound, rowKey } from './rounds.js';
import { markdown, measurementTable, overheadTable, summaryTable, type Report } from './report.js';
import { exportKeras, runPeerCase, runTfjsCase, type KerasModelFile } from './runners.js';

const started = Date.now();
const argv = process.argv.slice(2);
const options = parseArgs(argv);
const out = resolve(options.out ?? fileURLToPath(new URL('../bench-results', import.meta.url)));
const { availability: peers, pythons } = await setUpPeers(
  PEERS.filter((p) => options.engines.includes(p)),
  (line) => console.log(line),
);
const { availability: onednn } = options.engines.includes('onednn')
  ? await onednnSetup()
  : { availability: { available: false, reason: 'not in --engines' } as const };
const { cases, skipped } = makePlan({ ...options, peers, onednn });
const loadAverageStart = loadavg();

const measurements: Measurement[] = [];
const failed: Report['failed'] = [];
let overhead: OverheadResult | undefined;
const peerVersions: Partial<Record<Peer, string>> = {};
const kerasFiles = await kerasModels();

// Each round runs every case again, in the same order; the overhead comparison (one process timing both
// models in alternation) runs in the first only.
const rounds = Array.from({ length: options.rounds }, (_, round) =>
  cases.filter((c) => round === 0 || c.kind !== 'overhead').map((c) => ({ c, round })),
).flat();
for (const [i, { c, round }] of rounds.entries()) {
  const what = `${describe(c)}${options.rounds > 1 ? `, round ${round + 1}/${options.rounds}` : ''}`;
  const t0 = Date.now();
  try {
    if (c.kind === 'peer') {
      const measurement = await runPeerCase(
        c,
        pythons[c.peer],
        c.peer === 'keras' ? kerasFiles.get(c.model) : undefined,
      );
      peerVersions[c.peer] = measurement.version;
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
    peers: peerVersions,
    ...onednnVersion(),
    threads: options.threads,
    loadAverageStart,
    loadAverageEnd: loadavg(),
    ...autogroup(),
  },
  measurements: rate(combineRounds(measurements)),
  ...(overhead != null ? { overhead } : {}),
  skipped,
  failed,
};
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(out, 'report.md'), markdown(report));

console.log(`\n${measurementTable(report.measurements)}\n`);
console.log(`${summaryTable(report.measurements)}\n`);
if (overhead != null) console.log(`${overheadTable(overhead)}\n`);
for (const s of skipped) console.log(`not run: ${s.what}: ${s.reason}`);
console.log(`wrote ${join(out, 'report.json')} and report.md in ${report.durationSeconds.toFixed(0)} s`);
if (failed.length > 0) {
  console.error(`${failed.length} case(s) failed: ${failed.map((f) => f.what).join('; ')}`);
  process.exitCode = 1;
}

/** The bench's models as `.keras` files for the Keras peer (written by TF.js), when it runs. */
async function kerasModels(): Promise<Map<ModelName, KerasModelFile>> {
  const models = [...new Set(cases.flatMap((c) => (c.kind === 'peer' && c.peer === 'keras' ? [c.model] : [])))];
  const files = new Map<ModelName, KerasModelFile>();
  if (models.length === 0) return files;
  const dir = join(out, 'keras');
  mkdirSync(dir, { recursive: true });
  const exports = models.map((model) => ({ model, file: join(dir, `${model}.keras`) }));
  try {
    const params = await exportKeras(exports);
    for (const e of exports) files.set(e.model, { file: e.file, params: params[e.file] });
    console.log(`wrote ${exports.map((e) => e.file).join(', ')} for the Keras peer`);
  } catch (error) {
    failed.push({ what: 'the .keras files of the Keras peer', error: (error as Error).message });
  }
  return files;
}

/** One measurement per row: each row's median round (`--rounds`), in the order the rows first ran. */
function combineRounds(all: readonly Measurement[]): Measurement[] {
  const byRow = new Map<string, Measurement[]>();
  for (const m of all) byRow.set(rowKey(m), [...(byRow.get(rowKey(m)) ?? []), m]);
  return [...byRow.values()].map(medianRound);
}

/** What the `onednn` rows ran on (oneDNN's version and instruction set), when they ran. */
function onednnVersion(): { onednn?: string } {
  const version = measurements.find((m) => m.engine === 'onednn')?.version;
  return version != null ? { onednn: version } : {};
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
    case 'peer':
      return `${c.model} ${c.task} ${c.peer} ${c.threads} thread(s) batch ${c.batch}`;
    case 'tfjs':
      return `${c.model} ${c.task} ${c.backend} ${c.threads} thread(s) batch ${c.batch}`;
    case 'overhead':
      return `toy-resnet SkipConnection vs functional on ${c.backend} batch ${c.batch}`;
  }
}

function log(i: number, what: string, result: string, t0: number): void {
  console.log(`[${i + 1}/${rounds.length}] ${what}: ${result} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
