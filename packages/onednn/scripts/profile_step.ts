/**
 * Where a train step (or a forward pass) of a zoo model goes on the `onednn`
 * backend, kernel by kernel: every kernel the step dispatches is wrapped with
 * a counter and a timer, and so is every call into the addon, so each row
 * says how often a kernel ran per step, its time, how much of that time was
 * oneDNN (the addon call) and how much JavaScript around it, and whether it
 * ran on the cpu backend (no native kernel, or a native kernel that fell back).
 * What no kernel accounts for is the engine's own work (tape, gradient
 * functions, tidy, tensor bookkeeping) and the layers' JavaScript.
 *
 *   node --import tsx packages/onednn/scripts/profile_step.ts --model toy-resnet --threads 1 --batch 64 --steps 10
 *
 * With `TFJS_SKIP_ONEDNN_FUSION=off` in the environment, the same step
 * without the fused conv → batch norm (→ add) → ReLU kernels.
 *
 * Writes a Markdown table to stdout (`--task infer` profiles `predict`).
 */
import * as tf from '@tensorflow/tfjs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CONV_BATCH_NORM } from 'tfjs-skip/kernel-names';
import { buildZooModel, parseZooName } from 'tfjs-skip/zoo';
import { trainStep } from 'tfjs-skip-train';
import { Momentum } from 'tfjs-skip-train/recipes';
import { ONEDNN, nativeKernelConfigs, onednnInfo, onednnProblem, setOnednnThreads } from '../src/index.js';
import { loadAddon } from '../src/native.js';

const { values: options } = parseArgs({
  options: {
    model: { type: 'string', default: 'toy-resnet' },
    task: { type: 'string', default: 'train' },
    threads: { type: 'string', default: '1' },
    batch: { type: 'string', default: '64' },
    warmup: { type: 'string', default: '3' },
    steps: { type: 'string', default: '10' },
  },
});

/** Time and calls of one kernel (or addon op) over the profiled steps. */
interface Tally {
  calls: number;
  ms: number;
  /** Of `ms`, the time inside the addon. */
  nativeMs: number;
  /** CPU time of the process (every thread) over the same calls: what other processes on the machine do not inflate. */
  cpuMs: number;
  /** Calls that ran the cpu backend's kernel (no native kernel, or its fallback). */
  cpuCalls: number;
}

const tallies = new Map<string, Tally>();
const addonTallies = new Map<string, Tally>();
const tally = (table: Map<string, Tally>, name: string): Tally => {
  let entry = table.get(name);
  if (entry === undefined) {
    entry = { calls: 0, ms: 0, nativeMs: 0, cpuMs: 0, cpuCalls: 0 };
    table.set(name, entry);
  }
  return entry;
};

/** CPU time of the process so far, ms. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The kernel being run, outermost first: nested time counts once, in the outermost kernel. */
const stack: { name: string; nativeMs: number; cpu: boolean }[] = [];
let recording = false;

function wrapKernels(backendName: string, isCpu: (name: string) => boolean): void {
  for (const config of tf.getKernelsForBackend(backendName)) {
    const inner = config.kernelFunc;
    const kernelFunc: tf.KernelFunc = (args) => {
      if (!recording) return inner(args);
      const name = config.kernelName;
      if (stack.length > 0) {
        // A kernel calling another (a native kernel's cpu fallback): the outer one owns the time.
        if (isCpu(name)) stack.at(-1)!.cpu = true;
        return inner(args);
      }
      const frame = { name, nativeMs: 0, cpu: isCpu(name) };
      stack.push(frame);
      const start = performance.now();
      const cpuStart = cpuNow();
      try {
        return inner(args);
      } finally {
        const entry = tally(tallies, name);
        entry.calls++;
        entry.ms += performance.now() - start;
        entry.cpuMs += cpuNow() - cpuStart;
        entry.nativeMs += frame.nativeMs;
        if (frame.cpu) entry.cpuCalls++;
        stack.pop();
      }
    };
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({ ...config, kernelFunc });
  }
}

function wrapAddon(): void {
  const { addon } = loadAddon();
  if (addon === null) return;
  const table = addon as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [op, inner] of Object.entries(table)) {
    table[op] = (...args: unknown[]) => {
      if (!recording) return inner(...args);
      const start = performance.now();
      const cpuStart = cpuNow();
      try {
        return inner(...args);
      } finally {
        const ms = performance.now() - start;
        const entry = tally(
          addonTallies,
          typeof args[0] === 'string' && op.startsWith('unary') ? `${op} ${args[0]}` : op,
        );
        entry.calls++;
        entry.ms += ms;
        entry.cpuMs += cpuNow() - cpuStart;
        if (stack.length > 0) stack[0]!.nativeMs += ms;
      }
    };
  }
}

async function main(): Promise<void> {
  const problem = onednnProblem();
  if (problem !== null) throw new Error(problem);
  await tf.setBackend(ONEDNN);
  const threads = Number(options.threads);
  setOnednnThreads(threads);
  const native = new Set(nativeKernelConfigs.map((k) => k.kernelName));
  // A kernel of onednn's that is the cpu one copied (no native version) runs on the cpu backend;
  // a native kernel's fallback calls the cpu backend's registered kernel.
  wrapKernels(ONEDNN, (name) => !native.has(name));
  wrapKernels('cpu', () => true);
  wrapAddon();

  const parsed = parseZooName(options.model);
  if (parsed === null)
    throw new Error(`--model must be a zoo name such as toy-resnet or resnet-20; received '${options.model}'.`);
  const model = buildZooModel(parsed.model, parsed.args);
  const batch = Number(options.batch);
  const x = tf.randomUniform([batch, 32, 32, 3]);
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  );
  const optimizer = new Momentum(0.01, 0.9); // as the bench and the main job: one native update a variable
  const run =
    options.task === 'infer'
      ? () => {
          const y = model.predict(x, { batchSize: batch }) as tf.Tensor;
          y.dataSync();
          y.dispose();
        }
      : () => void trainStep(model, optimizer, x, labels);

  for (let i = 0; i < Number(options.warmup); i++) run();
  const steps = Number(options.steps);
  const stepMs: number[] = [];
  const stepCpuMs: number[] = [];
  recording = true;
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    const cpuStart = cpuNow();
    run();
    stepMs.push(performance.now() - start);
    stepCpuMs.push(cpuNow() - cpuStart);
  }
  recording = false;
  console.log(report(stepMs, stepCpuMs, steps, batch, threads));
}

function report(stepMs: number[], stepCpuMs: number[], steps: number, batch: number, threads: number): string {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const all = [...tallies.values()];
  const perStep = sum(stepMs) / steps;
  const cpuPerStep = sum(stepCpuMs) / steps;
  const kernelMs = sum(all.map((t) => t.ms)) / steps;
  const kernelCpuMs = sum(all.map((t) => t.cpuMs)) / steps;
  const nativeMs = sum(all.map((t) => t.nativeMs)) / steps;
  const calls = sum(all.map((t) => t.calls)) / steps;
  const { version, isa } = onednnInfo();
  const fmt = (ms: number) => ms.toFixed(2);
  const fusion = nativeKernelConfigs.some((k) => k.kernelName === CONV_BATCH_NORM)
    ? 'on'
    : 'off (TFJS_SKIP_ONEDNN_FUSION=off)';
  const lines = [
    `## ${options.model}, ${options.task}, batch ${batch}, ${threads} thread(s), conv → batch norm fusion ${fusion}`,
    '',
    `oneDNN ${version} (${isa}); ${steps} profiled steps after ${options.warmup} warm-up; ` +
      `load average ${loadAverage()} at the end.`,
    '',
    `- step: ${fmt(perStep)} ms mean, ${fmt(median(stepMs))} ms median, ${fmt(Math.min(...stepMs))} ms min; ` +
      `CPU time ${fmt(cpuPerStep)} ms mean, ${fmt(median(stepCpuMs))} ms median`,
    `- in kernels: ${calls.toFixed(0)} calls a step, ${fmt(kernelMs)} ms (${percent(kernelMs, perStep)} of the step; ` +
      `CPU ${fmt(kernelCpuMs)} ms), of which ${fmt(nativeMs)} ms inside the addon and ${fmt(kernelMs - nativeMs)} ms ` +
      `JavaScript around it (${fmt((1000 * (kernelMs - nativeMs)) / calls)} µs a call)`,
    `- outside any kernel (engine, tape, gradient functions, layers): ${fmt(perStep - kernelMs)} ms ` +
      `(CPU ${fmt(cpuPerStep - kernelCpuMs)} ms; ${fmt((1000 * (perStep - kernelMs)) / calls)} µs a kernel call)`,
    '',
    '| kernel | calls/step | ms/step | CPU ms/step | share of step | in addon ms | JS ms | µs JS/call | ran on |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, t] of [...tallies].sort((a, b) => b[1].cpuMs - a[1].cpuMs)) {
    const ranOn = t.cpuCalls === 0 ? 'onednn' : t.cpuCalls === t.calls ? 'cpu' : `cpu ${t.cpuCalls}/${t.calls}`;
    lines.push(
      `| ${name} | ${(t.calls / steps).toFixed(1)} | ${fmt(t.ms / steps)} | ${fmt(t.cpuMs / steps)} | ` +
        `${percent(t.ms / steps, perStep)} | ${fmt(t.nativeMs / steps)} | ${fmt((t.ms - t.nativeMs) / steps)} | ` +
        `${((1000 * (t.ms - t.nativeMs)) / t.calls).toFixed(0)} | ${ranOn} |`,
    );
  }
  lines.push('', '| addon op | calls/step | ms/step | CPU ms/step | µs/call |', '|---|---|---|---|---|');
  for (const [name, t] of [...addonTallies].sort((a, b) => b[1].cpuMs - a[1].cpuMs)) {
    lines.push(
      `| ${name} | ${(t.calls / steps).toFixed(1)} | ${fmt(t.ms / steps)} | ${fmt(t.cpuMs / steps)} | ` +
        `${((1000 * t.ms) / t.calls).toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

await main();
