/**
 * `npm run bench:main-job`: the main job end to end. Runs `tfjs-skip train`
 * on its default run (the embedded Fashion-MNIST sample, ResNet-8, batch 64,
 * Adam) on `--backend onednn` (where tfjs-skip-onednn's addon loads) and
 * `--backend wasm` at each thread count (`--threads`), and Keras 3 `model.fit` on TensorFlow 2.21
 * doing the same work (the same model as `.keras`, the same images, batch,
 * epochs and Adam rate, read from the run's metrics.json), and prints the
 * images per second of each and the ratios to Keras.
 *
 *   node --import tsx src/main_job.ts [--threads 1,N] [--epochs n] [--out dir]
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadDataset } from 'tfjs-skip-data/node';
import { mainJobRows, mainJobTable, trainingRun, type TrainingRun } from './main_job_report.js';
import { onednnSetup } from './onednn.js';
import { setUpPeers } from './peers.js';
import { defaultThreads, parseThreads } from './plan.js';
import { exportKeras, runPython } from './runners.js';

const run = promisify(execFile);
const CLI = join(dirname(createRequire(import.meta.url).resolve('tfjs-skip-cli/package.json')), 'bin/tfjs-skip.js');
const KERAS_FIT = fileURLToPath(new URL('../python/keras_fit.py', import.meta.url));

/** The backends `tfjs-skip train` runs on here (`--backend`), each at every thread count; onednn where it loads. */
export const MAIN_JOB_BACKENDS = ['onednn', 'wasm'] as const;

/** One `tfjs-skip train` run: its backend and threads, and the line the command printed on them. */
interface RunHeader {
  backend: string;
  threads: number;
  /** `backend: onednn (oneDNN 2.6.3, avx512_core, one thread), from tfjs-skip-onednn`, as `tfjs-skip train` said. */
  note?: string;
  dir: string;
}

/** What the main job reads back from `tfjs-skip train`'s metrics.json. */
interface TrainMetrics {
  model: string;
  params: number;
  backend: string;
  threads: number;
  batchSize: number;
  learningRate: number;
  epochs: number;
  epochSeconds: number[];
  recipe: {
    optimizer: string;
    schedule: string;
    warmupEpochs: number;
    weightDecay: number;
    labelSmoothing: number;
    augment: { crop: number; flip: boolean };
  };
  data: { source: string; trainExamples: number; imageShape: number[]; classes: number };
}

interface KerasFitOutput {
  threads: number;
  params: number;
  epochSeconds: number[];
  maxRssMiB: number;
  version: string;
  loss: number[];
  accuracy: number[];
}

/** Parses `--threads 1,N`, `--epochs n` (fewer than the default run's, for a quick look), `--out dir`. */
export function parseMainJobArgs(argv: string[]): { threads: number[]; epochs?: number; out?: string } {
  const known = ['--threads', '--epochs', '--out'];
  const o: { threads: number[]; epochs?: number; out?: string } = { threads: defaultThreads() };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!known.includes(flag))
      throw new Error(`Unknown argument ${flag}; options: ${known.join(' ')} (each with a value).`);
    if (value == null || value.startsWith('--')) throw new Error(`${flag} needs a value.`);
    if (flag === '--threads') o.threads = parseThreads(value);
    else if (flag === '--out') o.out = value;
    else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--epochs must be a positive integer, received ${value}.`);
      o.epochs = n;
    }
  }
  return o;
}

async function main(): Promise<void> {
  const options = parseMainJobArgs(process.argv.slice(2));
  const out = resolve(options.out ?? fileURLToPath(new URL('../bench-results/main-job', import.meta.url)));
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  const loadAverageStart = loadavg();
  const peers = await setUpPeers(['keras'], (line) => console.log(line));
  const keras = peers.availability.keras;
  const skipped: { what: string; reason: string }[] = [];
  if (!keras.available) skipped.push({ what: 'Keras model.fit', reason: keras.reason });
  const onednn = await onednnSetup();
  if (!onednn.availability.available) {
    skipped.push({ what: 'tfjs-skip train --backend onednn', reason: onednn.availability.reason });
  }
  const backends = MAIN_JOB_BACKENDS.filter((b) => b !== 'onednn' || onednn.availability.available);

  const tfjs: Record<string, TrainingRun[]> = Object.fromEntries(backends.map((b) => [b, []]));
  const headers: RunHeader[] = [];
  const kerasRuns: TrainingRun[] = [];
  let metrics: TrainMetrics | undefined;
  let kerasVersion: string | undefined;
  let inputs: { model: string; images: string; labels: string; shape: number[]; params: number } | undefined;
  for (const threads of options.threads) {
    for (const backend of backends) {
      const dir = join(out, `tfjs-${backend}-threads-${threads}`);
      rmSync(dir, { recursive: true, force: true });
      const args = [CLI, 'train', '--out', dir, '--backend', backend, '--threads', `${threads}`];
      if (options.epochs != null) args.push('--epochs', `${options.epochs}`);
      console.log(`tfjs-skip ${args.slice(1).join(' ')}`);
      const { stdout } = await run(process.execPath, args, { maxBuffer: 2 ** 26 });
      metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as TrainMetrics;
      if (metrics.backend !== backend || metrics.threads !== threads) {
        throw new Error(
          `tfjs-skip train --backend ${backend} --threads ${threads} trained on ${metrics.backend} with ` +
            `${metrics.threads} thread(s) (${dir}/metrics.json).`,
        );
      }
      const note = stdout.split('\n').find((line) => line.startsWith('backend: '));
      headers.push({ backend, threads, ...(note != null ? { note } : {}), dir });
      const r = trainingRun(threads, metrics.data.trainExamples, metrics.epochSeconds);
      tfjs[backend].push(r);
      console.log(`  ${metrics.model} on ${note ?? backend}: ${r.imagesPerSecond.toFixed(0)} img/s`);
    }
  }
  // Keras does what the tfjs-skip run's metrics.json says it did.
  for (const threads of keras.available ? options.threads : []) {
    if (metrics == null) {
      skipped.push({ what: `Keras model.fit at ${threads} threads`, reason: 'no tfjs-skip run told it what to do' });
      continue;
    }
    const unlike = kerasCannotRepeat(metrics.recipe);
    if (unlike != null) {
      skipped.push({ what: `Keras model.fit at ${threads} threads`, reason: unlike });
      continue;
    }
    inputs ??= await kerasInputs(metrics, out);
    const m = metrics;
    const fit = await runPython<KerasFitOutput>(peers.pythons.keras, [
      KERAS_FIT,
      ...['--model-file', inputs.model, '--images', inputs.images, '--labels', inputs.labels],
      ...['--shape', inputs.shape.join(','), '--threads', `${threads}`, '--epochs', `${m.epochs}`],
      ...['--batch', `${m.batchSize}`, '--learning-rate', `${m.learningRate}`, '--schedule', m.recipe.schedule],
    ]);
    if (fit.params !== inputs.params) {
      throw new Error(`Keras counts ${fit.params} parameters in ${inputs.model}, TF.js ${inputs.params}.`);
    }
    kerasVersion = fit.version;
    const r = trainingRun(threads, m.data.trainExamples, fit.epochSeconds);
    kerasRuns.push(r);
    console.log(`  Keras model.fit at ${threads} thread(s): ${r.imagesPerSecond.toFixed(0)} img/s`);
  }

  const rows = mainJobRows(options.threads, tfjs, kerasRuns);
  const report = {
    date: new Date(started).toISOString(),
    command: `npm run bench:main-job -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    loadAverageStart,
    loadAverageEnd: loadavg(),
    run:
      metrics == null
        ? undefined
        : {
            model: metrics.model,
            params: metrics.params,
            data: metrics.data,
            epochs: metrics.epochs,
            batchSize: metrics.batchSize,
            optimizer: metrics.recipe.optimizer,
            learningRate: metrics.learningRate,
            schedule: metrics.recipe.schedule,
          },
    runs: headers,
    ...(onednn.version != null ? { onednn: onednn.version } : {}),
    ...(kerasVersion != null ? { keras: kerasVersion } : {}),
    rows,
    skipped,
    durationSeconds: (Date.now() - started) / 1000,
  };
  writeFileSync(join(out, 'main-job.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (metrics != null) {
    console.log(
      `\n${metrics.model} (${metrics.params.toLocaleString('en-US')} parameters), ${metrics.data.trainExamples} ` +
        `${metrics.data.imageShape.join('x')} images of ${metrics.data.source}, ${metrics.epochs} epochs of batch ` +
        `${metrics.batchSize}, ${metrics.recipe.optimizer} at ${metrics.learningRate}` +
        (kerasVersion != null ? `; Keras: ${kerasVersion}` : ''),
    );
    for (const h of headers) console.log(`  --backend ${h.backend} --threads ${h.threads}: ${h.note ?? h.backend}`);
  }
  console.log(`\n${mainJobTable(rows)}\n`);
  for (const s of skipped) console.log(`not run: ${s.what}: ${s.reason}`);
  console.log(`wrote ${join(out, 'main-job.json')} in ${report.durationSeconds.toFixed(0)} s`);
}

/**
 * What `keras_fit.py` would do differently from the run's recipe (it trains
 * with Adam, at a constant rate or a cosine decay without warm-up, and nothing else).
 */
export function kerasCannotRepeat(r: TrainMetrics['recipe']): string | null {
  const extras = [
    r.optimizer !== 'adam' && `the ${r.optimizer} optimizer`,
    r.schedule !== 'constant' && r.schedule !== 'cosine' && `a ${r.schedule} schedule`,
    r.warmupEpochs > 0 && 'a warm-up',
    r.weightDecay > 0 && 'weight decay',
    r.labelSmoothing > 0 && 'label smoothing',
    (r.augment.crop > 0 || r.augment.flip) && 'augmentation',
  ].filter((e): e is string => typeof e === 'string');
  return extras.length === 0
    ? null
    : `keras_fit.py trains with Adam at a constant rate or a cosine decay and nothing else; ` +
        `the run used ${extras.join(', ')}`;
}

/** The run's model as `.keras` (with the softmax `tfjs-skip train` adds) and its training images as raw bytes. */
async function kerasInputs(m: TrainMetrics, out: string) {
  const model = join(out, `${m.model}.keras`);
  const params = await exportKeras([
    { model: m.model, file: model, inputShape: m.data.imageShape, classes: m.data.classes, softmax: true },
  ]);
  if (params[model] !== m.params) {
    throw new Error(`The exported ${m.model} has ${params[model]} parameters, the trained one ${m.params}.`);
  }
  const { train } = await loadDataset(m.data.source);
  if (train.count !== m.data.trainExamples) {
    throw new Error(
      `--data ${m.data.source} holds ${train.count} training images, the run trained on ${m.data.trainExamples}.`,
    );
  }
  const [images, labels] = [join(out, 'train-images.u8'), join(out, 'train-labels.u8')];
  writeFileSync(images, train.images);
  writeFileSync(labels, train.labels);
  return { model, images, labels, shape: [train.count, train.height, train.width, train.channels], params: m.params };
}

if (process.argv[1] != null && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
