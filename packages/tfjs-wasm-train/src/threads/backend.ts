import * as tf from '@tensorflow/tfjs';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import wasmFactoryImport from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js';
import { simdFor, simdModule } from '../simd/module.js';
import { importMemory } from './import_memory.js';
import { attachPool } from './kernels_for.js';
import { KernelPool } from './pool.js';

/** Options of {@link useWasmThreads}: how many threads, and where the threaded binary comes from. */
export interface WasmThreadsOptions {
  /**
   * Threads for one training step's kernels, the calling thread included
   * (default: the machine's cores, `os.availableParallelism()` in Node,
   * `navigator.hardwareConcurrency` in a browser). 1 keeps the backend as
   * tfjs-backend-wasm makes it (its single-threaded build).
   */
  threads?: number;
  /**
   * tfjs-backend-wasm's SIMD binary (`tfjs-backend-wasm-simd.wasm`): its
   * bytes or URL. Default: read from the installed package in Node; a
   * browser page passes the URL its bundler gives the file (Vite: `?url`).
   */
  wasmBinary?: Uint8Array | string | URL;
}

/** How many threads the wasm backend's kernels use, and why not more. */
export interface WasmThreads {
  /** Threads asked for (`threads`, or the machine's cores). */
  requested: number;
  /** Threads in use once the backend has started (1 before). */
  threads: number;
  /** Why fewer threads than requested run, or null. */
  fallback: string | null;
  /** Kernels run split across the threads so far. */
  jobs: number;
}

/** The machine's cores: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in a browser. */
export async function defaultThreadCount(): Promise<number> {
  if (typeof process !== 'undefined' && process.versions?.node != null) {
    const os = await import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
}

/** What was asked for, and why fewer threads run; the rest is the started pool's. */
let asked: Pick<WasmThreads, 'requested' | 'fallback'> = { requested: 1, fallback: null };
let started: KernelPool | null = null;

/** Where the wasm backend's threads stand: requested, in use, and why not more. */
export function wasmThreads(): WasmThreads {
  return { ...asked, threads: started?.active ?? 1, jobs: started?.jobs ?? 0 };
}

/**
 * Splits the kernels' work over `threads` of the threads the backend started
 * with, from the next kernel on (1: the calling thread alone): to compare
 * thread counts in one process, or to leave cores to other work.
 */
export function limitWasmThreads(threads: number): void {
  const most = started?.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > most) {
    throw new RangeError(
      `limitWasmThreads: threads must be an integer from 1 to ${most} (the threads the wasm backend started with); ` +
        `received ${threads}.${started === null ? ' Start it with useWasmThreads for more.' : ''}`,
    );
  }
  if (started !== null) started.active = threads;
}

/**
 * Makes the `wasm` backend run this package's kernels on `threads` threads:
 * its heap becomes a shared `WebAssembly.Memory`, and a pool of worker
 * threads (`worker_threads` in Node, Web Workers in a cross-origin isolated
 * page) runs the SIMD kernels' work on it beside the calling thread, split
 * by images or rows. Call it before the wasm backend starts
 * (`tf.setBackend('wasm')`). Without shared memory (a page that is not
 * cross-origin isolated), WebAssembly SIMD or worker threads, the backend
 * starts on one thread as usual and `wasmThreads().fallback` says why.
 * One thread is tfjs-backend-wasm's single-threaded SIMD build: its own
 * multi-threaded build (`WASM_HAS_MULTITHREAD_SUPPORT`) is turned off.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { useWasmThreads, wasmThreads } from 'tfjs-wasm-train';
 *
 * await useWasmThreads({ threads: 3 });
 * await tf.setBackend('wasm');
 * wasmThreads().threads; // => 3
 * tf.conv2d(tf.ones([4, 8, 8, 16]), tf.ones([3, 3, 16, 16]), 1, 'valid').max().dataSync()[0]; // => 144
 * ```
 */
export async function useWasmThreads(options: WasmThreadsOptions = {}): Promise<void> {
  const requested = options.threads ?? (await defaultThreadCount());
  if (!Number.isInteger(requested) || requested < 1) {
    throw new RangeError(`useWasmThreads: threads must be a positive integer; received ${String(options.threads)}.`);
  }
  if (tf.engine().registry['wasm'] !== undefined) {
    throw new Error(
      `useWasmThreads: the wasm backend has already started (on ${wasmThreads().threads} thread(s)); ` +
        'call useWasmThreads before tf.setBackend("wasm") or any tensor is made on it.',
    );
  }
  const stock = (tf.engine().registryFactory as Record<string, { factory: () => unknown; priority: number }>)['wasm'];
  if (stock === undefined) {
    throw new Error("useWasmThreads: no 'wasm' backend is registered; import '@tensorflow/tfjs-backend-wasm' first.");
  }
  const original = (stock as { original?: typeof stock }).original ?? stock;
  // The threads are this package's pool. tfjs-backend-wasm's own pthread build, which it picks by itself in a
  // cross-origin isolated page, stays off: it does not start from a bundle (Emscripten's worker script), and this
  // package's SIMD kernels cannot reach its heap. So one thread, asked for or fallen back to, is the SIMD build.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const why = requested === 1 ? null : sharedMemoryProblem();
  asked = { requested, fallback: why };
  tf.removeBackend('wasm');
  if (requested === 1 || why !== null) {
    tf.registerBackend('wasm', original.factory as () => tf.KernelBackend, original.priority);
    return;
  }
  const factory = async (): Promise<tf.KernelBackend> => {
    try {
      return await threadedBackend(requested, options.wasmBinary);
    } catch (e) {
      asked = { requested, fallback: `the threaded backend failed to start: ${(e as Error).message}` };
      return (await original.factory()) as tf.KernelBackend;
    }
  };
  tf.registerBackend('wasm', factory, original.priority);
  Object.assign(tf.engine().registryFactory['wasm']!, { original });
}

/** Why this runtime cannot share a heap between threads, or null. */
function sharedMemoryProblem(): string | null {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') {
    return typeof crossOriginIsolated !== 'undefined' && !crossOriginIsolated
      ? 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and ' +
          'Cross-Origin-Embedder-Policy: require-corp), so it has no SharedArrayBuffer'
      : 'this runtime has no SharedArrayBuffer';
  }
  if (typeof process === 'undefined' && typeof Worker === 'undefined') return 'this runtime has no Web Workers';
  return null;
}

/** What the backend's Emscripten factory is given and gives back (the parts used here). */
interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  asm: { memory?: unknown };
  tfjs?: unknown;
}
type InstantiateWasm = (
  imports: WebAssembly.Imports,
  receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
) => object;
const wasmFactory = wasmFactoryImport as unknown as (config: {
  instantiateWasm: InstantiateWasm;
  onAbort: (message: string) => void;
}) => Promise<EmscriptenModule>;

/** tfjs-backend-wasm's backend on a shared heap, with a kernel pool of `threads` threads. */
async function threadedBackend(threads: number, binary: WasmThreadsOptions['wasmBinary']): Promise<tf.KernelBackend> {
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) throw new Error('this runtime has no WebAssembly SIMD');
  const bytes = await simdBinary(binary);
  const memoryPages = { module: 'tfjs_wasm_train', name: 'memory', shared: true } as const;
  const { bytes: patched, initialPages } = importMemory(bytes, { ...memoryPages, maximumPages: MAX_PAGES });
  const memory = new WebAssembly.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: true });
  const compiled = await WebAssembly.compile(patched);
  const module = await wasmFactory({
    instantiateWasm: (imports, receive) => {
      const withMemory = { ...imports, [memoryPages.module]: { [memoryPages.name]: memory } };
      void WebAssembly.instantiate(compiled, withMemory).then((instance) => receive(instance, compiled));
      return {};
    },
    onAbort: (message) => {
      throw new Error(`the wasm backend aborted: ${message}`);
    },
  });
  // What tfjs-backend-wasm's own init() binds before it makes the backend.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  const local = simdFor(module);
  if (local === null) throw new Error('the SIMD kernels did not instantiate on the shared heap');
  let pool: KernelPool;
  try {
    pool = await KernelPool.start(threads, memory, simdModule(true), local);
  } catch (e) {
    asked = { requested: threads, fallback: `no worker threads: ${(e as Error).message}` };
    return backend;
  }
  attachPool(memory, pool);
  started = pool;
  const dispose = backend.dispose.bind(backend);
  backend.dispose = () => {
    pool.terminate();
    if (started === pool) started = null;
    dispose();
  };
  return backend;
}

/** 4 GiB: the most a wasm32 heap can grow to (tfjs-backend-wasm's own limit). */
const MAX_PAGES = 65536;

async function simdBinary(binary: WasmThreadsOptions['wasmBinary']): Promise<Uint8Array> {
  if (binary instanceof Uint8Array) return binary;
  if (binary !== undefined) {
    const response = await fetch(binary);
    if (!response.ok) throw new Error(`could not fetch ${String(binary)}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
  if (typeof process === 'undefined' || process.versions?.node == null) {
    throw new Error("in a browser, pass wasmBinary: the URL of tfjs-backend-wasm's tfjs-backend-wasm-simd.wasm");
  }
  const [{ createRequire }, { readFile }] = await Promise.all([import('node:module'), import('node:fs/promises')]);
  const require = createRequire(import.meta.url);
  return readFile(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
}
