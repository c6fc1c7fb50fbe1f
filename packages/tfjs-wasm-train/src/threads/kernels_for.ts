import { heapMemory, simdFor, type SimdKernels } from '../simd/module.js';
import type { WasmBackend } from '../wasm_backend.js';
import { parallelKernels } from './parallel_kernels.js';
import type { KernelPool } from './pool.js';

const pools = new WeakMap<WebAssembly.Memory, KernelPool>();
const split = new WeakMap<WasmBackend, { k: SimdKernels; pool: KernelPool; kernels: SimdKernels }>();

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
  const k = simdFor(backend.wasm);
  if (k === null) return null;
  const pool = poolOf(backend);
  if (pool === undefined) return k;
  const known = split.get(backend);
  if (known !== undefined && known.k === k && known.pool === pool) return known.kernels;
  const kernels = parallelKernels(k, pool, backend);
  split.set(backend, { k, pool, kernels });
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
