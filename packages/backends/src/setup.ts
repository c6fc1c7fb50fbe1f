import * as tf from '@tensorflow/tfjs';
import { activate, BACKEND_NAMES, probeTrainingStep, type BackendName } from './activate.js';

/** Loads a module by name: `import()` by default; tests pass their own. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

/** Options of {@link setupBackend}: which backends to try, and how. */
export interface SetupBackendOptions {
  /**
   * Backends to try, fastest first. Default: `tensorflow` (tfjs-node), then
   * `wasm`, then `cpu` in Node; `webgl`, `wasm`, `cpu` in a browser.
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
   * `BackendChoice.threadsNote` says why. Other backends manage their own.
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
  /** Threads tfjs-skip's kernels run on: the wasm backend's pool, else 1 (the backend manages its own). */
  threads: number;
  /** Why the wasm backend runs on fewer threads than asked for, or null. */
  threadsNote: string | null;
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
  if (name === 'webgl' && isNode) return 'WebGL is not available in Node.js';
  for (const [specifier, missing, when] of PACKAGES[name]) {
    if (when === 'training' && !forTraining) continue;
    try {
      await load(specifier);
    } catch {
      return missing;
    }
  }
  return null;
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
 * `tensorflow` when `@tensorflow/tfjs-node` is installed, then `wasm` with the
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
  const prefer = options.prefer ?? (isNode ? ['tensorflow', 'wasm', 'cpu'] : ['webgl', 'wasm', 'cpu']);
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
    if (problem === null && forTraining && name === 'wasm') {
      const failure = probeTrainingStep();
      if (failure !== null) problem = `it failed a probe training step (${failure})`;
    }
    if (problem === null) {
      const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
      const { threads, fallback } = threaded?.wasmThreads() ?? { threads: 1, fallback: null };
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
