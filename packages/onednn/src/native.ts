import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The package's root (the folder of its package.json), from `src/` or `dist/` alike. */
const root = fileURLToPath(new URL('..', import.meta.url));

/** Where `scripts/build.mjs` writes why the addon could not be built. */
export const UNAVAILABLE_FILE = 'build/unavailable.txt';

/** How a user gets the native backend, said once wherever it is missing. */
export const HOW_TO_GET =
  'install oneDNN and a C++ toolchain (Debian/Ubuntu: apt-get install libdnnl-dev cmake g++; ' +
  'macOS: brew install onednn cmake), then run `npm rebuild tfjs-skip-onednn`';

/** What oneDNN runs on, as the addon reports it. */
export interface OnednnInfo {
  /** oneDNN's version, e.g. "2.6.3". */
  version: string;
  /** The widest instruction set oneDNN's kernels use on this CPU, e.g. "avx512_core". */
  isa: string;
  /** Threads oneDNN's kernels run on. */
  threads: number;
  /** Primitives held in the addon's caches. */
  cachedPrimitives: number;
}

/**
 * The addon's table of operations (`native/addon.cc`). Every buffer is a
 * Float32Array the addon checks against the shape it must hold; convolution
 * and pooling geometry is {@link geometry}'s 18 integers.
 */
export interface Addon {
  info(): OnednnInfo;
  setThreads(threads: number): void;
  clearCaches(): void;
  conv2d(
    geometry: number[],
    activation: string,
    alpha: number,
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    out: Float32Array,
  ): void;
  conv2dBackpropInput(geometry: number[], dy: Float32Array, filter: Float32Array, dx: Float32Array): void;
  conv2dBackpropFilter(geometry: number[], x: Float32Array, dy: Float32Array, dfilter: Float32Array): void;
  /** The implementations oneDNN runs for a convolution of this geometry, e.g. "jit_wino_4x3:avx512_core". */
  convImplementation(geometry: number[]): { forward: string; backwardData: string };
  matMul(
    shape: number[],
    activation: string,
    alpha: number,
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array | null,
    out: Float32Array,
  ): void;
  pool(geometry: number[], kind: 'max' | 'avg', x: Float32Array, out: Float32Array): void;
  poolGrad(geometry: number[], kind: 'max' | 'avg', x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  batchNormTrain(
    shape: number[],
    epsilon: number,
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
  ): void;
  batchNormTrainGrad(
    shape: number[],
    epsilon: number,
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
  ): void;
  convBatchNorm(
    geometry: number[],
    epsilon: number,
    activation: 'relu' | 'linear',
    x: Float32Array,
    filter: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    residual: Float32Array | null,
    z: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
  ): void;
  convBatchNormGrad(
    geometry: number[],
    epsilon: number,
    activation: 'relu' | 'linear',
    dy: Float32Array,
    x: Float32Array,
    filter: Float32Array,
    z: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    y: Float32Array,
    dx: Float32Array,
    dfilter: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    dresidual: Float32Array | null,
  ): void;
  batchNormInference(
    shape: number[],
    epsilon: number,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    y: Float32Array,
  ): void;
  unary(name: string, alpha: number, beta: number, count: number, x: Float32Array, out: Float32Array): void;
  unaryGrad(
    name: string,
    alpha: number,
    beta: number,
    count: number,
    x: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
  ): void;
  reluBiasGrad(
    rows: number,
    channels: number,
    y: Float32Array,
    dy: Float32Array,
    dx: Float32Array,
    dbias: Float32Array,
  ): void;
  binary(name: string, aDims: number[], bDims: number[], a: Float32Array, b: Float32Array, out: Float32Array): void;
  reduce(name: 'sum' | 'mean', xDims: number[], outDims: number[], x: Float32Array, out: Float32Array): void;
  slice(xDims: number[], begin: number[], size: number[], x: Float32Array, out: Float32Array): void;
  pad(xDims: number[], before: number[], after: number[], value: number, x: Float32Array, out: Float32Array): void;
  adamUpdate(
    count: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    learningRate: number,
    oneMinusAccBeta1: number,
    oneMinusAccBeta2: number,
    value: Float32Array,
    m: Float32Array,
    v: Float32Array,
    gradient: Float32Array,
    outValue: Float32Array,
    outM: Float32Array,
    outV: Float32Array,
  ): void;
  momentumUpdate(
    count: number,
    learningRate: number,
    momentum: number,
    nesterov: boolean,
    value: Float32Array,
    accumulation: Float32Array,
    gradient: Float32Array,
    outValue: Float32Array,
    outAccumulation: Float32Array,
  ): void;
  movingAverages(
    channels: number,
    decay: number,
    movingMean: Float32Array,
    movingVariance: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    outMean: Float32Array,
    outVariance: Float32Array,
  ): void;
}

type Loaded = { addon: Addon; problem: null } | { addon: null; problem: string };

let loaded: Loaded | undefined;

/** Loads the addon once: it, or why it is missing (one line, with how to get it). */
export function loadAddon(): Loaded {
  loaded ??= load();
  return loaded;
}

function load(): Loaded {
  if (process.env['TFJS_SKIP_ONEDNN'] === 'off') {
    return { addon: null, problem: 'the onednn backend is turned off (TFJS_SKIP_ONEDNN=off)' };
  }
  // oneDNN's OpenMP threads sleep between kernels instead of spinning (unless the user chose): the JavaScript
  // between two native kernels then keeps its core, and a busy machine does not stall every parallel region.
  process.env['OMP_WAIT_POLICY'] ??= 'PASSIVE';
  const require = createRequire(import.meta.url);
  try {
    const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
    return { addon: nodeGypBuild(root) as Addon, problem: null };
  } catch (e) {
    const file = `${root}/${UNAVAILABLE_FILE}`;
    const why = existsSync(file)
      ? readFileSync(file, 'utf8').trim()
      : ((e as Error).message.split('\n')[0] ?? 'unknown error');
    return { addon: null, problem: `the onednn addon is not built or does not load (${why}): ${HOW_TO_GET}` };
  }
}

/** The loaded addon; throws the one-line reason when it is missing. */
export function addon(): Addon {
  const { addon, problem } = loadAddon();
  if (addon === null) throw new Error(problem);
  return addon;
}
