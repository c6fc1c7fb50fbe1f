/**
 * Child-process entry of the bench: runs one TF.js case given as JSON in
 * argv[2] and prints its result as one `BENCH_RESULT {...}` line.
 *
 *   node --import tsx src/run_case.ts '{"kind":"tfjs","model":"toy-resnet","backend":"wasm","threads":1,
 *     "task":"train","batch":64,"warmup":2,"runs":5}'   (one argument: the JSON of a case)
 */
import * as tf from '@tensorflow/tfjs';
import {
  RESULT_PREFIX,
  type CaseResult,
  type Measurement,
  type OverheadCase,
  type OverheadResult,
  type TfjsBackend,
  type TfjsCase,
} from './cases.js';
import { benchModel, toyResNetFunctional } from './models.js';
import { onednnSetup } from './onednn.js';
import { setupBackend } from 'tfjs-skip-backends';
import { trainStep } from 'tfjs-skip-train';
import { Momentum } from 'tfjs-skip-train/recipes';
import { MiB, type Timings, maxRssMiB, median, timeRuns } from './timing.js';

const CLASSES = 10;

/**
 * Exactly `backend`, brought up by tfjs-skip-backends (wasm with its training kernels, onednn with oneDNN's
 * threads, on `threads` threads: their default would be every core), or an error, also when it runs on fewer
 * threads than asked for.
 */
async function startBackend(backend: TfjsBackend, threads = 1): Promise<void> {
  const choice = await setupBackend({ prefer: [backend], threads });
  if (choice.threads !== threads) {
    throw new Error(
      `${backend} runs on ${choice.threads} thread(s), not the ${threads} asked for` +
        `${choice.threadsNote != null ? ` (${choice.threadsNote})` : ''}.`,
    );
  }
}

/** A random batch of 32x32x3 images and integer labels. */
function randomBatch(batch: number): { x: tf.Tensor4D; labels: tf.Tensor1D } {
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % CLASSES),
    'int32',
  );
  return { x: tf.randomUniform([batch, 32, 32, 3]), labels };
}

/**
 * The train step: tfjs-skip-train's `trainStep` (softmax cross-entropy on the
 * logits), with `optimizer`; the backend's kernel threads, if any, share its work.
 * The step `fit` takes on each batch, timed alone on one fixed batch, as the
 * peers time `train_on_batch` and `optimizer.step()`: `fit` would add batching
 * and augmentation to the clock (the main job times `fit` whole, through `tfjs-skip train`).
 */
function trainingStep(model: tf.LayersModel, optimizer: tf.Optimizer, x: tf.Tensor, labels: tf.Tensor1D): () => number {
  return () => trainStep(model, optimizer, x, labels).loss;
}

/** One forward pass over the whole batch (`predict` would otherwise split it into batches of 32). */
function inference(model: tf.LayersModel, x: tf.Tensor): () => void {
  return () => {
    const y = model.predict(x, { batchSize: x.shape[0] }) as tf.Tensor;
    y.dataSync();
    y.dispose();
  };
}

/**
 * SGD with momentum 0.9 as the main job runs it: tfjs-skip-train's Momentum, TF.js's MomentumOptimizer
 * whose update of a variable is one kernel where the backend has one (onednn), its five ops elsewhere.
 */
const momentum = () => new Momentum(0.01, 0.9);

async function runTfjs(c: TfjsCase): Promise<Measurement> {
  await startBackend(c.backend, c.threads);
  const model = benchModel(c.model);
  const { x, labels } = randomBatch(c.batch);
  const run = c.task === 'infer' ? inference(model, x) : trainingStep(model, momentum(), x, labels);

  for (let i = 0; i < c.warmup; i++) run();
  const tensorsBefore = tf.memory().numTensors;
  const { wallMs: times, cpuMs } = await timeRuns(run, 0, c.runs);
  const tensorGrowth = tf.memory().numTensors - tensorsBefore;
  const tfLiveMiB = tf.memory().numBytes / MiB;
  // One more run under tf.profile for the peak tensor bytes, but not for training on cpu, where one more step
  // takes tens of seconds.
  const profile = !(c.backend === 'cpu' && c.task === 'train');
  const tfPeakMiB = profile ? (await tf.profile(() => run() as tf.TensorContainer)).peakBytes / MiB : undefined;

  const msPerBatch = median(times);
  const version = c.backend === 'onednn' ? (await onednnSetup()).version : undefined;
  return {
    framework: 'tfjs',
    engine: c.backend,
    ...(version != null ? { version } : {}),
    model: c.model,
    task: c.task,
    threads: c.threads,
    batch: c.batch,
    warmup: c.warmup,
    runs: c.runs,
    msPerBatch,
    minMsPerBatch: Math.min(...times),
    cpuMsPerBatch: median(cpuMs),
    msPerImage: msPerBatch / c.batch,
    imagesPerSecond: (1000 * c.batch) / msPerBatch,
    maxRssMiB: maxRssMiB(),
    ...(tfPeakMiB != null ? { tfPeakMiB } : {}),
    tfLiveMiB,
    tensorGrowth,
  };
}

/**
 * The zoo's toy ResNet (SkipConnection in a Sequential) and its functional
 * twin (tf.layers.add) with the same weights, timed in alternation so that
 * both see the same machine load.
 */
async function runOverhead(c: OverheadCase): Promise<OverheadResult> {
  await startBackend(c.backend);
  const skip = benchModel('toy-resnet');
  const functional = toyResNetFunctional();
  functional.setWeights(skip.getWeights());
  const { x, labels } = randomBatch(c.batch);
  const maxAbsDifference = tf.tidy(
    () => tf.max(tf.abs(tf.sub(skip.predict(x) as tf.Tensor, functional.predict(x) as tf.Tensor))).dataSync()[0],
  );
  if (!(maxAbsDifference < 1e-4)) {
    throw new Error(`The two toy ResNets do not compute the same function (max |difference| ${maxAbsDifference}).`);
  }
  const alternate = async (a: () => unknown, b: () => unknown) => {
    await timeRuns(a, c.warmup, 0);
    await timeRuns(b, c.warmup, 0);
    const [ta, tb]: Timings[] = [
      { wallMs: [], cpuMs: [] },
      { wallMs: [], cpuMs: [] },
    ];
    for (let i = 0; i < c.runs; i++) {
      for (const [run, into] of [
        [a, ta],
        [b, tb],
      ] as const) {
        const t = await timeRuns(run, 0, 1);
        into.wallMs.push(...t.wallMs);
        into.cpuMs.push(...t.cpuMs);
      }
    }
    const [skipConnectionMs, functionalMs] = [median(ta.wallMs), median(tb.wallMs)];
    return {
      skipConnectionMs,
      functionalMs,
      ratio: skipConnectionMs / functionalMs,
      cpuRatio: median(ta.cpuMs) / median(tb.cpuMs),
    };
  };
  const infer = await alternate(inference(skip, x), inference(functional, x));
  const train = await alternate(
    trainingStep(skip, momentum(), x, labels),
    trainingStep(functional, momentum(), x, labels),
  );
  return { backend: c.backend, batch: c.batch, warmup: c.warmup, runs: c.runs, maxAbsDifference, infer, train };
}

const c = JSON.parse(process.argv[2] ?? 'null') as TfjsCase | OverheadCase | null;
if (c == null || (c.kind !== 'tfjs' && c.kind !== 'overhead')) {
  throw new Error(`run_case.ts takes one TF.js case as JSON; received ${process.argv[2]}`);
}
const result: CaseResult =
  c.kind === 'tfjs'
    ? { kind: 'measurement', measurement: await runTfjs(c) }
    : { kind: 'overhead', overhead: await runOverhead(c) };
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
