import { simdModuleFunctions } from '../generated/simd_module.js';
import type { SimdKernels } from '../simd/module.js';
import { ARG_SLOTS, CELL, controlBuffers, SPIN_CHECKS, type ControlBuffers } from './control.js';
import { spawnWorker, type PoolWorker } from './spawn.js';
import { workerSource } from './worker_source.js';

export type KernelName = keyof SimdKernels;

/** Every kernel the pool can run, in the order both sides index them. */
const KERNEL_NAMES = Object.keys(simdModuleFunctions).sort() as KernelName[];

/**
 * Worker threads that run the SIMD kernels on a shared wasm heap, one slice
 * of a kernel's work each, with the calling thread taking the first slice.
 * A job is synchronous, like the TF.js kernel that issues it: `run` returns
 * when every slice is done. Results are deterministic for a given thread
 * count (each slice always goes to the same thread; callers combine partial
 * results in a fixed order).
 */
export class KernelPool {
  /** Threads doing a job's work: the caller and the workers. */
  readonly threads: number;
  private readonly ctrl: Int32Array;
  private readonly argv: Float64Array;
  private readonly errorText: Uint8Array;
  private stopped = false;
  private using: number;
  private ran = 0;

  private constructor(
    private readonly workers: PoolWorker[],
    buffers: ControlBuffers,
    private readonly local: SimdKernels,
  ) {
    this.threads = workers.length + 1;
    this.using = this.threads;
    this.ctrl = new Int32Array(buffers.control);
    this.argv = new Float64Array(buffers.args);
    this.errorText = new Uint8Array(buffers.error);
  }

  /**
   * Starts `threads - 1` workers, each with its own instance of `module` on
   * `memory` (shared); `local` is the calling thread's instance.
   */
  static async start(
    threads: number,
    memory: WebAssembly.Memory,
    module: WebAssembly.Module,
    local: SimdKernels,
  ): Promise<KernelPool> {
    if (!Number.isInteger(threads) || threads < 2) {
      throw new RangeError(`KernelPool: threads must be an integer of at least 2; received ${threads}.`);
    }
    const buffers = controlBuffers(threads - 1);
    const workers = await Promise.all(Array.from({ length: threads - 1 }, () => spawnWorker(workerSource)));
    try {
      await Promise.all(
        workers.map(
          (worker, index) =>
            new Promise<void>((resolve, reject) => {
              worker.onFirstMessage((message) => {
                const failed = (message as { failed?: string }).failed;
                if (failed === undefined) resolve();
                else reject(new Error(`a kernel worker could not instantiate the SIMD kernels: ${failed}`));
              }, reject);
              worker.postMessage({ ...buffers, memory, module, index, names: KERNEL_NAMES, generation: 0 });
            }),
        ),
      );
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    for (const w of workers) w.unref();
    return new KernelPool(workers, buffers, local);
  }

  /** Jobs run so far (each a kernel split across the threads). */
  get jobs(): number {
    return this.ran;
  }

  /** Threads the kernels split their work over: all of the pool's unless set lower. */
  get active(): number {
    return this.using;
  }

  set active(threads: number) {
    if (!Number.isInteger(threads) || threads < 1 || threads > this.threads) {
      throw new RangeError(
        `KernelPool: active threads must be an integer from 1 to ${this.threads}; received ${threads}.`,
      );
    }
    this.using = threads;
  }

  /**
   * Runs `kernel(...slices[t])` on thread t for every t at once (t = 0 on the
   * caller) and returns when all are done. Throws, once every thread is done,
   * if any slice threw; the pool goes on serving.
   */
  run(kernel: KernelName, slices: ReadonlyArray<readonly number[]>): void {
    if (this.stopped) throw new Error(`KernelPool: ${kernel} was called after the pool was terminated.`);
    if (slices.length === 0 || slices.length > this.threads) {
      throw new RangeError(`KernelPool: ${kernel} got ${slices.length} slices for ${this.threads} threads.`);
    }
    const index = KERNEL_NAMES.indexOf(kernel);
    const argc = slices[0]!.length;
    if (index < 0 || slices.some((s) => s.length !== argc) || argc > ARG_SLOTS) {
      throw new Error(`KernelPool: no kernel ${kernel} taking ${argc} arguments on every slice.`);
    }
    const { ctrl } = this;
    this.ran++;
    for (let t = 1; t < slices.length; t++) this.argv.set(slices[t]!, (t - 1) * ARG_SLOTS);
    Atomics.store(ctrl, CELL.kernel, index);
    Atomics.store(ctrl, CELL.argc, argc);
    Atomics.store(ctrl, CELL.active, slices.length - 1);
    Atomics.store(ctrl, CELL.done, 0);
    Atomics.store(ctrl, CELL.failed, 0);
    Atomics.add(ctrl, CELL.generation, 1);
    Atomics.notify(ctrl, CELL.generation);
    let own: Error | undefined;
    try {
      (this.local[kernel] as (...a: number[]) => void)(...slices[0]!);
    } catch (e) {
      own = e instanceof Error ? e : new Error(String(e));
    }
    this.awaitWorkers();
    if (own !== undefined) throw own;
    const failed = Atomics.load(ctrl, CELL.failed);
    if (failed !== 0) {
      const end = this.errorText.indexOf(0);
      const text = new TextDecoder().decode(this.errorText.slice(0, end < 0 ? undefined : end));
      throw new Error(`tfjs-wasm-train: the ${kernel} kernel failed on worker thread ${failed}: ${text}`);
    }
  }

  /** Stops the workers; the pool cannot run jobs afterwards. */
  terminate(): void {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.ctrl, CELL.stop, 1);
    Atomics.add(this.ctrl, CELL.generation, 1);
    Atomics.notify(this.ctrl, CELL.generation);
    for (const w of this.workers) w.terminate();
  }

  private awaitWorkers(): void {
    const { ctrl } = this;
    const all = this.workers.length;
    for (let i = 0; i < SPIN_CHECKS && Atomics.load(ctrl, CELL.done) < all; i++);
    for (let done = Atomics.load(ctrl, CELL.done); done < all; done = Atomics.load(ctrl, CELL.done)) {
      if (canBlock) Atomics.wait(ctrl, CELL.done, done);
      // A browser's main thread may not block: it polls (its own slice is done, so the core would idle anyway).
    }
  }
}

/** Whether this thread may block in Atomics.wait (browsers forbid it on the main thread). */
const canBlock = ((): boolean => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();
