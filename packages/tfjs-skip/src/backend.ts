import * as tf from '@tensorflow/tfjs';

/** A backend {@link setupBackend} knows how to bring up. */
export type BackendName = 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface SetupBackendOptions {
  /**
   * Backends to try, fastest first. Default: `tensorflow` (tfjs-node), then
   * `wasm`, then `cpu` in Node; `webgl`, `wasm`, `cpu` in a browser.
   */
  prefer?: readonly BackendName[];
  /**
   * Only accept a backend that can train conv nets (default `true`): `wasm`
   * then needs the `tfjs-wasm-train` kernels, since the stock backend lacks
   * `Conv2DBackpropFilter`.
   */
  forTraining?: boolean;
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

/** Loads an optional package without letting bundlers resolve it eagerly. */
async function importOptional(specifier: string): Promise<void> {
  await import(/* @vite-ignore */ specifier);
}

/** Brings `name` up, or says why it cannot be used here. */
const bringUp: Record<BackendName, (forTraining: boolean) => Promise<string | null>> = {
  async tensorflow() {
    if (!isNode) return 'tfjs-node runs only in Node.js';
    try {
      await importOptional('@tensorflow/tfjs-node');
    } catch {
      return '@tensorflow/tfjs-node is not installed';
    }
    return null;
  },
  async webgpu() {
    try {
      await importOptional('@tensorflow/tfjs-backend-webgpu');
    } catch {
      return '@tensorflow/tfjs-backend-webgpu is not installed';
    }
    return null;
  },
  async webgl() {
    return isNode ? 'WebGL is not available in Node.js' : null;
  },
  async wasm(forTraining) {
    try {
      await importOptional('@tensorflow/tfjs-backend-wasm');
    } catch {
      return '@tensorflow/tfjs-backend-wasm is not installed';
    }
    if (forTraining) {
      try {
        await importOptional('tfjs-wasm-train');
      } catch {
        return 'tfjs-wasm-train (its training kernels) is not installed';
      }
    }
    return null;
  },
  async cpu() {
    return null;
  },
};

/**
 * Picks the fastest backend available here, makes it current, and says which:
 * `tensorflow` when `@tensorflow/tfjs-node` is installed, then `wasm` with the
 * `tfjs-wasm-train` kernels, then the pure-JS `cpu`. Nothing is required:
 * each candidate is an optional package, loaded only when tried.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { setupBackend } from 'tfjs-skip';
 *
 * const choice = await setupBackend({ prefer: ['cpu'] });
 * choice.name; // => 'cpu'
 * tf.getBackend(); // => 'cpu'
 * ```
 */
export async function setupBackend(options: SetupBackendOptions = {}): Promise<BackendChoice> {
  const prefer = options.prefer ?? (isNode ? ['tensorflow', 'wasm', 'cpu'] : ['webgl', 'wasm', 'cpu']);
  const forTraining = options.forTraining ?? true;
  const skipped: BackendChoice['skipped'] = [];
  for (const name of prefer) {
    if (!Object.prototype.hasOwnProperty.call(bringUp, name)) {
      throw new TypeError(`setupBackend: unknown backend ${JSON.stringify(name)}; known: ${Object.keys(bringUp).join(', ')}`);
    }
    const problem = (await bringUp[name](forTraining)) ?? (await activate(name, forTraining));
    if (problem == null) {
      const reason = skipped.length === 0 ? `using the ${name} backend` : `using the ${name} backend (${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})`;
      return { name, reason, skipped };
    }
    skipped.push({ name, reason: problem });
  }
  throw new Error(`setupBackend: no usable backend among ${prefer.join(', ')}: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

async function activate(name: BackendName, forTraining: boolean): Promise<string | null> {
  try {
    if (!(await tf.setBackend(name))) return `the ${name} backend failed to initialise`;
  } catch (e) {
    return `the ${name} backend failed to initialise: ${(e as Error).message}`;
  }
  await tf.ready();
  if (forTraining && tf.getKernel('Conv2DBackpropFilter', name) == null) {
    return `the ${name} backend has no Conv2DBackpropFilter kernel, so it cannot train conv nets`;
  }
  return null;
}
