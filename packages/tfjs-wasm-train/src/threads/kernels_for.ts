import { heapMemory, simdFor, type SimdKernels } from '../simd/module.js';
import type { WasmBackend } from '../wasm_backend.js';
import { parallelKernels } from './parallel_kernels.js';
import type { KernelPool } from './pool.js';

const pools = new WeakMap<WebAssembly.Memory, KernelPool>();
/** Each backend's threaded kernels, with the single-thread kernels and the pool they were made from. */
const threadedKernels = new WeakMap<WasmBackend, { simd: SimdKernels; pool: KernelPool; kernels: SimdKernels }>();

/** Gives the heap `memory` a pool of kernel threads (the threaded backend does, when it starts). */
export function attachPool(memory: WebAssembly.Memory, pool: KernelPool): void {
  pools.set(memory, pool);
}

/** The pool of kernel threads on this backend's heap, or undefined (one thread). */
export function poolOf(backend: Pick<WasmBackend, 'wasm'>): KernelPool | undefined {
  const memory = heapMemory(backend.wasm);
  return memory === null ? undefined : pools.get(memory);
}

/**
 * The SIMD kernels for this backend, their work split across its pool of
 * threads when it has one; null when they cannot run here (yet). Every kernel
 * of this package gets them here.
 */
export function kernelsFor(backend: WasmBackend): SimdKernels | null {
  const simd = simdFor(backend.wasm);
  if (simd === null) return null;
  const pool = poolOf(backend);
  if (pool === undefined) return simd;
  const known = threadedKernels.get(backend);
  if (known !== undefined && known.simd === simd && known.pool === pool) return known.kernels;
  const kernels = parallelKernels(simd, pool, backend);
  threadedKernels.set(backend, { simd, pool, kernels });
  return kernels;
}

/**
 * Whether this backend's kernels split their work across more than one
 * thread now: kernels whose only gain is the split (element-wise passes,
 * where the backend's own are as fast on one thread) ask before taking over.
 */
export function splitsWork(backend: WasmBackend): boolean {
  return (poolOf(backend)?.active ?? 1) > 1;
}
