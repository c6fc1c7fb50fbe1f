import { activate, BACKEND_NAMES, probeTrainingStep, type BackendName } from './activate.js';

/** Loads a module by name: `import()` by default; tests pass their own. */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

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
}

/** The backend chosen, why, and what was tried before it. */
export interface BackendChoice {
  name: BackendName;
  /** One line for the user: which backend and why. */
  reason: string;
  /** The backends that were tried and could not be used, with the reason. */
  skipped: Array<{ name: BackendName; reason: string }>;
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

/**
 * Picks the fastest backend available here, makes it current, and says which:
 * `tensorflow` when `@tensorflow/tfjs-node` is installed, then `wasm` with the
 * `tfjs-wasm-train` kernels (checked by a probe training step), then the
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
    let problem = (await unavailable(name, forTraining, load)) ?? (await activate(name, forTraining));
    if (problem === null && forTraining && name === 'wasm') {
      const failure = probeTrainingStep();
      if (failure !== null) problem = `it failed a probe training step (${failure})`;
    }
    if (problem === null) {
      const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
      return { name, reason: `using the ${name} backend${why ? ` (${why})` : ''}`, skipped };
    }
    skipped.push({ name, reason: problem });
  }
  const why = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new Error(`setupBackend: no usable backend among ${prefer.join(', ')}: ${why}`);
}
