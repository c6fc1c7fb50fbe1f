/**
 * Milliseconds per train step of the toy ResNet (batch 64, 32x32x3) on the
 * wasm backend with tfjs-wasm-train's kernels, split into forward and
 * backward+update, plus the kernels that take the time.
 *
 *   node --import tsx packages/tfjs-wasm-train/scripts/measure.ts [steps] [batch] [--stock | --no-simd] [--threads N]
 *
 * `--stock` keeps the backend's own kernels wherever it has one and adds only
 * the missing Conv2DBackpropFilter: the baseline this package improves on.
 * `--no-simd` runs this package's kernels with its SIMD module turned off
 * (convolutions on XNNPACK, per-channel kernels in JS or the backend's).
 * `--threads N` starts the backend with a pool of N kernel threads and times
 * the train step at 1 and at N threads in alternation, in this one process.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { softmaxCrossEntropy } from 'tfjs-skip-train';
import { toyResNet } from './toy_resnet.js';

const flag = process.argv.indexOf('--threads');
const threads = flag < 0 ? 1 : Number(process.argv[flag + 1]);
const args = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--threads');
const stock = process.argv.includes('--stock');
const noSimd = stock || process.argv.includes('--no-simd');
const backendOwn = new Map(tf.getKernelsForBackend('wasm').map((config) => [config.kernelName, config]));
const { limitWasmThreads, setSimdKernels, useWasmThreads, wasmThreads, wasmTrainingKernelNames } =
  await import('../src/index.js');
if (threads > 1) await useWasmThreads({ threads });
if (noSimd) setSimdKernels(false); // also sends the batch-norm gradient back to tfjs-core's
if (stock) {
  for (const name of wasmTrainingKernelNames) {
    const config = backendOwn.get(name);
    if (config === undefined) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
}

const steps = Number(args[0] ?? 10);
const batch = Number(args[1] ?? 64);
await tf.setBackend('wasm');

const { model } = toyResNet();
const optimizer = tf.train.momentum(0.01, 0.9);
const x = tf.randomUniform([batch, 32, 32, 3]);
const labels = tf.tensor1d(
  Array.from({ length: batch }, (_, i) => i % 10),
  'int32',
);

const forward = () => tf.tidy(() => (model.apply(x, { training: true }) as tf.Tensor).dataSync());
const trainStep = () =>
  tf.tidy(() => {
    const loss = optimizer.minimize(
      () => softmaxCrossEntropy(model.apply(x, { training: true }) as tf.Tensor, labels),
      true,
    );
    return loss!.dataSync()[0];
  });

/**
 * Median and fastest wall time of n runs, and their mean CPU time: on a busy
 * machine the CPU time is what the step costs (the backend runs on one thread).
 */
function timeRuns(f: () => unknown, n: number): { median: number; min: number; cpu: number } {
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(n / 2)], min: times[0], cpu: (cpu.user + cpu.system) / 1000 / n };
}

/** Bytes of the wasm module's memory (it grows, never shrinks: steady means no leak). */
const heapMB = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength / 2 ** 20;

trainStep(); // warm-up: builds variables and XNNPACK operators
trainStep();
forward();
const before = tf.memory().numTensors;
const heapBefore = heapMB();
const fwd = timeRuns(forward, steps);
const step = timeRuns(trainStep, steps);
const leaked = tf.memory().numTensors - before;
const heapAfter = heapMB();

if (threads > 1) {
  // 1 thread and N in alternation, so that both see the same machine load.
  const at: Record<number, number[]> = { 1: [], [threads]: [] };
  for (let round = 0; round < 4; round++) {
    for (const t of [1, threads]) {
      limitWasmThreads(t);
      at[t]!.push(timeRuns(trainStep, Math.max(2, Math.ceil(steps / 4))).median);
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const [one, many] = [median(at[1]!), median(at[threads]!)];
  console.log(
    `  threads: ${JSON.stringify(wasmThreads())}; train step 1 thread ${one.toFixed(1)} ms, ${threads} threads ` +
      `${many.toFixed(1)} ms: ${(one / many).toFixed(2)}x (medians of 4 alternating rounds)`,
  );
}

const profile = await tf.profile(() => {
  trainStep();
});
const byKernel = new Map<string, number>();
for (const k of profile.kernels) {
  byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
}
const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12);

const kernels = stock
  ? 'backend kernels + Conv2DBackpropFilter'
  : `tfjs-wasm-train${noSimd ? ' without SIMD' : ''} (${wasmTrainingKernelNames.join(', ')})`;
console.log(`toy ResNet on wasm, batch ${batch}, ${steps} runs each, ${kernels}`);
const ms = (t: { median: number; min: number; cpu: number }) =>
  `${t.median.toFixed(1)} ms (fastest ${t.min.toFixed(1)}, CPU ${t.cpu.toFixed(1)})`;
console.log(`  train step        ${ms(step)}, ${((batch * 1000) / step.median).toFixed(0)} images/s`);
console.log(`  forward           ${ms(fwd)}`);
console.log(
  `  backward + update ${(step.median - fwd.median).toFixed(1)} ms ` +
    `(fastest ${(step.min - fwd.min).toFixed(1)}, CPU ${(step.cpu - fwd.cpu).toFixed(1)})`,
);
console.log(
  `  tensors leaked: ${leaked}; wasm memory ${heapBefore.toFixed(0)} MB after warm-up, ${heapAfter.toFixed(0)} MB ` +
    `after ${2 * steps} more runs`,
);
console.log('  kernel time in one profiled step (ms):');
for (const [name, ms] of top) console.log(`    ${name.padEnd(24)} ${ms.toFixed(1)}`);
