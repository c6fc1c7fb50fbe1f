import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  PEER_ENGINE,
  RESULT_PREFIX,
  type CaseResult,
  type Measurement,
  type OverheadCase,
  type PeerCase,
  type TfjsCase,
} from './cases.js';
import type { KerasExport } from './export_keras.js';
import { KERAS_ENV, lastLines } from './peers.js';

const run = promisify(execFile);
const TORCH_SCRIPT = fileURLToPath(new URL('../python/torch_bench.py', import.meta.url));
const KERAS_SCRIPT = fileURLToPath(new URL('../python/keras_bench.py', import.meta.url));
const CASE_SCRIPT = fileURLToPath(new URL('./run_case.ts', import.meta.url));
const EXPORT_SCRIPT = fileURLToPath(new URL('./export_keras.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAX_BUFFER = 64 * 2 ** 20;

/** Runs a TF.js case in a fresh Node process (its own backend, its own peak RSS). */
export async function runTfjsCase(c: TfjsCase | OverheadCase): Promise<CaseResult> {
  return runNode<CaseResult>(CASE_SCRIPT, JSON.stringify(c));
}

/** What `torch_bench.py` and `keras_bench.py` print. */
interface PeerOutput {
  threads: number;
  batch: number;
  params: number;
  msPerBatch: number;
  runsMs: number[];
  cpuMsPerBatch: number;
  maxRssMiB: number;
  version: string;
  config?: string;
}

/** A `.keras` file written by `export_keras.ts`, and the parameters TF.js counted in it. */
export interface KerasModelFile {
  file: string;
  params: number;
}

/**
 * Runs a peer's case in a fresh Python process: PyTorch (the bench's or
 * Debian's) builds the model in `torch_bench.py`; Keras loads the zoo model's
 * `.keras` file, whose parameter count must be TF.js's.
 */
export async function runPeerCase(c: PeerCase, python: string, keras?: KerasModelFile): Promise<Measurement> {
  const common = ['--model', c.model, '--task', c.task, '--threads', `${c.threads}`, '--batch', `${c.batch}`];
  common.push('--warmup', `${c.warmup}`, '--runs', `${c.runs}`);
  let args: string[];
  if (c.peer === 'keras') {
    if (keras == null) throw new Error(`No .keras file of ${c.model} for the Keras peer.`);
    args = [KERAS_SCRIPT, '--model-file', keras.file, ...common];
  } else {
    args = [TORCH_SCRIPT, ...common];
  }
  const out =
    c.peer !== 'keras' && c.threads > 1 ? await fasterOmpWait(python, args) : await runPython<PeerOutput>(python, args);
  if (out.threads !== c.threads)
    throw new Error(`${c.peer} ran with ${out.threads} threads, not the ${c.threads} asked for.`);
  if (c.peer === 'keras' && keras != null && out.params !== keras.params) {
    throw new Error(
      `Keras counts ${out.params} parameters in ${keras.file}, TF.js ${keras.params}: not the same model.`,
    );
  }
  return {
    framework: c.peer === 'keras' ? 'keras' : 'pytorch',
    engine: PEER_ENGINE[c.peer],
    version: out.version,
    ...(out.config != null ? { note: out.config } : {}),
    model: c.model,
    task: c.task,
    threads: out.threads,
    batch: out.batch,
    warmup: c.warmup,
    runs: c.runs,
    msPerBatch: out.msPerBatch,
    minMsPerBatch: Math.min(...out.runsMs),
    cpuMsPerBatch: out.cpuMsPerBatch,
    msPerImage: out.msPerBatch / out.batch,
    imagesPerSecond: (1000 * out.batch) / out.msPerBatch,
    maxRssMiB: out.maxRssMiB,
  };
}

/**
 * PyTorch on more than one thread, in its faster OpenMP wait policy: the default (threads spin at barriers) and
 * `OMP_WAIT_POLICY=PASSIVE` (they sleep), each in its own process (libgomp reads it once). On a shared machine a
 * spinning thread whose partner lost its core wastes whole time slices: here PyTorch 2.13's 2-thread toy ResNet step
 * took 1,040 ms spinning and 115 ms passive (83 ms on one thread) under a load of 4 on 2 cores.
 */
async function fasterOmpWait(python: string, args: string[]): Promise<PeerOutput> {
  const spin = await runPython<PeerOutput>(python, args);
  const passive = await runPython<PeerOutput>(python, args, { OMP_WAIT_POLICY: 'PASSIVE' });
  const [faster, slower] = passive.msPerBatch < spin.msPerBatch ? [passive, spin] : [spin, passive];
  const policy = (o: PeerOutput) => (o === passive ? 'OMP_WAIT_POLICY=PASSIVE' : 'OpenMP default wait policy');
  return {
    ...faster,
    config: `${policy(faster)} (${policy(slower)}: ${slower.msPerBatch.toFixed(1)} ms)`,
  };
}

/** Runs a Python script and parses the JSON object on the last line of its stdout. */
export async function runPython<T>(python: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  const options = { maxBuffer: MAX_BUFFER, env: { ...process.env, ...KERAS_ENV, ...env } };
  const { stdout } = await run(python, args, options).catch((error: { stderr?: string; message: string }) => {
    throw new Error(lastLines(error.stderr ?? '') || error.message);
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

/** Writes zoo models as `.keras` files (`export_keras.ts`, in its own process); returns TF.js's parameter counts. */
export async function exportKeras(exports: KerasExport[]): Promise<Record<string, number>> {
  return runNode<Record<string, number>>(EXPORT_SCRIPT, JSON.stringify(exports));
}

async function runNode<T>(script: string, arg: string): Promise<T> {
  const { stdout } = await run(process.execPath, ['--import', TSX, script, arg], { maxBuffer: MAX_BUFFER }).catch(
    (error: { stderr?: string; message: string }) => {
      throw new Error(lastLines(error.stderr ?? '') || error.message);
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (line == null) throw new Error(`${script} printed no result; its output ended with: ${lastLines(stdout)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
}
