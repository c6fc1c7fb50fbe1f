import * as tf from '@tensorflow/tfjs';
import { activate, BACKEND_NAMES, noteOnednn, probeTrainingStep, type BackendName } from './activate.js';

/** Loads a module by name: `import()` by default; tests pass their own. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

/** Options of {@link setupBackend}: which backends to try, and how. */
export interface SetupBackendOptions {
  /**
   * Backends to try, fastest first. Default: `tensorflow` (tfjs-node), then
   * `onednn` (tfjs-skip-onednn), then `wasm`, then `cpu` in Node; `webgl`,
   * `wasm`, `cpu` in a browser.
   */
  prefer?: readonly BackendName[];
  /**
   * Only accept a backend that can train conv nets (default `true`): `wasm`
   * then needs the `tfjs-wasm-train` kernels (the stock backend lacks
   * `Conv2DBackpropFilter`) and must pass a probe training step.
   */
  forTraining?: boolean;
  /** How optional packages are loaded (default: a dynamic `import()` bundlers leave alone). */
  load?: ModuleLoader;
  /**
   * Threads for the wasm backend's training kernels, the calling one included
   * (default: the machine's cores). Needs shared memory: in a browser, a
   * cross-origin isolated page; without it the backend runs on one thread and
   * `BackendChoice.threadsNote` says why. For onednn, oneDNN's threads
   * (default: the machine's cores). Other backends manage their own.
   */
  threads?: number;
  /** In a browser, the URL of tfjs-backend-wasm's `tfjs-backend-wasm-simd.wasm`, for the threaded wasm backend. */
  wasmBinary?: string | URL;
}

/** The backend chosen, why, and what was tried before it. */
export interface BackendChoice {
  /** The backend now active. */
  name: BackendName;
  /** One line for the user: which backend and why. */
  reason: string;
  /** The backends that were tried and could not be used, with the reason. */
  skipped: Array<{
    /** A backend tried. */
    name: BackendName;
    /** Why it could not be used. */
    reason: string;
  }>;
  /**
   * Threads tfjs-skip's kernels run on: the wasm backend's pool, oneDNN's
   * threads, else 1 (the backend manages its own).
   */
  threads: number;
  /** Why the wasm backend runs on fewer threads than asked for, or null. */
  threadsNote: string | null;
}

/** What setupBackend uses of tfjs-skip-onednn (an optional package, loaded when onednn is tried). */
interface OnednnModule {
  onednnProblem(): string | null;
  onednnInfo(): { version: string; isa: string; threads: number };
  setOnednnThreads(threads: number): void;
}

/** What setupBackend uses of tfjs-wasm-train's threads (an optional package, loaded when wasm is tried). */
interface WasmTrainThreads {
  useWasmThreads(options: { threads?: number; wasmBinary?: string | URL }): Promise<void>;
  wasmThreads(): { requested: number; threads: number; fallback: string | null };
}

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

const defaultLoad: ModuleLoader = (specifier) => import(/* @vite-ignore */ specifier);

/** The optional packages each backend needs, with what to say when one is missing. */
const PACKAGES: Record<BackendName, ReadonlyArray<readonly [string, string, 'always' | 'training']>> = {
  tensorflow: [['@tensorflow/tfjs-node', '@tensorflow/tfjs-node is not installed', 'always']],
  onednn: [['tfjs-skip-onednn', 'tfjs-skip-onednn is not installed', 'always']],
  webgpu: [['@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-webgpu is not installed', 'always']],
  webgl: [],
  wasm: [
    ['@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-wasm is not installed', 'always'],
    ['tfjs-wasm-train', 'tfjs-wasm-train (its training kernels) is not installed', 'training'],
  ],
  cpu: [],
};

/** Why `name` cannot even be tried here, or null. */
async function unavailable(name: BackendName, forTraining: boolean, load: ModuleLoader): Promise<string | null> {
  if (name === 'tensorflow' && !isNode) return 'tfjs-node runs only in Node.js';
  if (name === 'onednn' && !isNode) return 'tfjs-skip-onednn runs only in Node.js';
  if (name === 'webgl' && isNode) return 'WebGL is not available in Node.js';
  for (const [specifier, missing, when] of PACKAGES[name]) {
    if (when === 'training' && !forTraining) continue;
    try {
      await load(specifier);
    } catch {
      return missing;
    }
  }
  if (name === 'onednn') return ((await load('tfjs-skip-onednn')) as OnednnModule).onednnProblem();
  return null;
}

/**
 * Brings up oneDNN's threads (`threads`, default every core) and notes what
 * it runs on for describeBackend; returns the threads.
 */
async function onednnThreads(load: ModuleLoader, threads: number | undefined): Promise<number> {
  const module = (await load('tfjs-skip-onednn')) as OnednnModule;
  if (threads !== undefined) module.setOnednnThreads(threads);
  const info = module.onednnInfo();
  noteOnednn(info);
  return info.threads;
}

/** tfjs-wasm-train's thread controls, or null if the loaded package has none (an older version). */
async function wasmTrainThreads(load: ModuleLoader): Promise<WasmTrainThreads | null> {
  const module = (await load('tfjs-wasm-train')) as Partial<WasmTrainThreads>;
  return typeof module.useWasmThreads === 'function' && typeof module.wasmThreads === 'function'
    ? (module as WasmTrainThreads)
    : null;
}

/**
 * Picks the fastest backend available here, makes it current, and says which:
 * `tensorflow` when `@tensorflow/tfjs-node` is installed, then `onednn` when
 * tfjs-skip-onednn's addon is built (it needs the system's oneDNN), then `wasm` with the
 * `tfjs-wasm-train` kernels on every core (checked by a probe training step), then the
 * pure-JS `cpu`. Nothing is required: each candidate is an optional package,
 * loaded only when tried.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { setupBackend } from 'tfjs-skip-backends';
 *
 * const choice = await setupBackend({ prefer: ['cpu'] });
 * choice.name; // => 'cpu'
 * tf.getBackend(); // => 'cpu'
 * ```
 */
export async function setupBackend(options: SetupBackendOptions = {}): Promise<BackendChoice> {
  const prefer = options.prefer ?? (isNode ? ['tensorflow', 'onednn', 'wasm', 'cpu'] : ['webgl', 'wasm', 'cpu']);
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new RangeError(`setupBackend: threads must be a positive integer; received ${String(options.threads)}.`);
  }
  const forTraining = options.forTraining ?? true;
  const load = options.load ?? defaultLoad;
  const skipped: BackendChoice['skipped'] = [];
  for (const name of prefer) {
    if (!BACKEND_NAMES.includes(name)) {
      throw new TypeError(`setupBackend: unknown backend ${JSON.stringify(name)}; known: ${BACKEND_NAMES.join(', ')}`);
    }
    let problem = await unavailable(name, forTraining, load);
    const threaded = problem === null && name === 'wasm' && forTraining ? await wasmTrainThreads(load) : null;
    if (threaded !== null && tf.engine().registry['wasm'] === undefined) {
      await threaded.useWasmThreads({
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        ...(options.wasmBinary !== undefined ? { wasmBinary: options.wasmBinary } : {}),
      });
    }
    problem ??= await activate(name, forTraining);
    if (problem === null && forTraining && (name === 'wasm' || name === 'onednn')) {
      const failure = probeTrainingStep();
      if (failure !== null) problem = `it failed a probe training step (${failure})`;
    }
    if (problem === null) {
      const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
      const { threads, fallback } =
        name === 'onednn'
          ? { threads: await onednnThreads(load, options.threads), fallback: null }
          : (threaded?.wasmThreads() ?? { threads: 1, fallback: null });
      return {
        name,
        reason: `using the ${name} backend${why ? ` (${why})` : ''}`,
        skipped,
        threads,
        threadsNote: fallback,
      };
    }
    skipped.push({ name, reason: problem });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`setupBackend: no usable backend among ${prefer.join(', ')}: ${why}`);
}
