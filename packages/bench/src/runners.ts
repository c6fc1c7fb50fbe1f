import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  RESULT_PREFIX,
  type CaseResult,
  type Measurement,
  type OverheadCase,
  type TfjsCase,
  type TorchCase,
} from './cases.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = fileURLToPath(new URL('../python/torch_bench.py', import.meta.url));
const CASE_SCRIPT = fileURLToPath(new URL('./run_case.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAX_BUFFER = 64 * 2 ** 20;

/** Runs a TF.js case in a fresh Node process (its own backend, its own peak RSS). */
export async function runTfjsCase(c: TfjsCase | OverheadCase): Promise<CaseResult> {
  const { stdout } = await run(process.execPath, ['--import', TSX, CASE_SCRIPT, JSON.stringify(c)], {
    maxBuffer: MAX_BUFFER,
  }).catch((error: { stderr?: string; message: string }) => {
    throw new Error(lastLines(error.stderr ?? '') || error.message);
  });
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (line == null) throw new Error(`run_case.ts printed no result; its output ended with: ${lastLines(stdout)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as CaseResult;
}

interface TorchOutput {
  model: TorchCase['model'];
  task: TorchCase['task'];
  threads: number;
  batch: number;
  msPerBatch: number;
  runsMs: number[];
  cpuMsPerBatch: number;
  maxRssMB: number;
  torch: string;
}

/** Runs a PyTorch case with Debian's python3 (`python/torch_bench.py`). */
export async function runTorchCase(c: TorchCase): Promise<{ measurement: Measurement; version: string }> {
  const args = [
    TORCH_SCRIPT,
    '--model',
    c.model,
    '--task',
    c.task,
    '--threads',
    `${c.threads}`,
    '--batch',
    `${c.batch}`,
  ];
  args.push('--warmup', `${c.warmup}`, '--runs', `${c.runs}`);
  const { stdout } = await run(PYTHON, args, { maxBuffer: MAX_BUFFER }).catch(
    (error: { stderr?: string; message: string }) => {
      throw new Error(lastLines(error.stderr ?? '') || error.message);
    },
  );
  const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as TorchOutput;
  if (out.threads !== c.threads)
    throw new Error(`PyTorch ran with ${out.threads} threads, not the ${c.threads} asked for.`);
  return {
    version: out.torch,
    measurement: {
      framework: 'pytorch',
      engine: 'pytorch',
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
      // ru_maxrss is in KiB on Linux.
      maxRssMiB: out.maxRssMB,
    },
  };
}

/** Whether `python3 -c 'import torch'` works here; why not when it does not. */
export async function torchAvailability(): Promise<{ available: true } | { available: false; reason: string }> {
  try {
    await run(PYTHON, ['-c', 'import torch']);
    return { available: true };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return {
      available: false,
      reason: `\`${PYTHON} -c 'import torch'\` failed: ${lastLines(e.stderr ?? '', 1) || e.message}`,
    };
  }
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
