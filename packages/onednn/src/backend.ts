import * as tf from '@tensorflow/tfjs';
import type { DataId, DataType, KernelConfig, TensorInfo, backend_util } from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BufferPool } from './buffer_pool.js';
import { addon, loadAddon } from './native.js';

/** The name the backend registers under: `tf.setBackend('onednn')`. */
export const ONEDNN = 'onednn';

/**
 * TF.js's `cpu` backend with the heavy kernels on oneDNN. Tensors live where
 * the cpu backend keeps them (one Float32Array each), so a native kernel reads
 * and writes them in place, and every kernel without a native version runs
 * the cpu backend's on the same memory, without a copy.
 */
export class OnednnBackend extends MathBackendCPU {
  /** The native kernels' output arrays, recycled (512 MiB at most kept for reuse). */
  readonly buffers = new BufferPool(512 * 2 ** 20);

  /** Stores `values` as a new tensor's data (noting it, when the array is the pool's). */
  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    this.buffers.held(values);
    return super.write(values, shape, dtype);
  }

  /** A tensor's values; the array leaves the backend, so the pool never recycles it. */
  override readSync(dataId: DataId): backend_util.BackendValues {
    const values = super.readSync(dataId);
    this.buffers.escaped(this.data.get(dataId)?.values);
    return values;
  }

  /** Releases a tensor's data; the last tensor of a pooled array returns it to the pool. */
  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const released = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) this.buffers.released(values);
    return released;
  }

  /** Frees the pool and every cached oneDNN primitive. */
  override dispose(): void {
    this.buffers.clear();
    addon().clearCaches();
    super.dispose();
  }
}

/** The arguments a kernel of this package receives. */
export interface OnednnKernelArgs<I, A = Record<string, never>> {
  inputs: I;
  backend: OnednnBackend;
  attrs: A;
}

/** A tensor's values, in place (no copy) when they are float32 as the cpu backend keeps them. */
export function f32(backend: OnednnBackend, t: TensorInfo): Float32Array {
  const values = backend.data.get(t.dataId)!.values;
  if (values instanceof Float32Array) return values;
  return Float32Array.from(values as ArrayLike<number>);
}

/**
 * A new float32 tensor of `shape` and its values, for a native kernel to
 * write every one of (the array is recycled: its contents are undefined).
 */
export function output(backend: OnednnBackend, shape: readonly number[]): [TensorInfo, Float32Array] {
  const values = backend.buffers.take(tf.util.sizeFromShape([...shape]));
  return [backend.makeTensorInfo([...shape], 'float32', values), values];
}

/** Whether every tensor given is float32 and not empty: what the native kernels take. */
export function nativeInputs(...tensors: TensorInfo[]): boolean {
  return tensors.every((t) => t.dtype === 'float32' && t.shape.every((d) => d > 0));
}

/** The cpu backend's kernel `name`, run on the onednn backend's tensors (the fallback of every native kernel). */
export function cpuKernel(name: string): tf.KernelFunc {
  const config = tf.getKernel(name, 'cpu');
  if (config === undefined) {
    throw new Error(
      `tfjs-skip-onednn: the cpu backend has no '${name}' kernel to fall back to; import '@tensorflow/tfjs' first.`,
    );
  }
  return config.kernelFunc;
}

/** A kernel config of this package. */
export function onednnKernel<I, A>(
  kernelName: string,
  kernel: (args: OnednnKernelArgs<I, A>) => TensorInfo | TensorInfo[],
): KernelConfig {
  return { kernelName, backendName: ONEDNN, kernelFunc: kernel as unknown as tf.KernelFunc };
}

/**
 * Registers the `onednn` backend and its kernels: the native ones given,
 * and the cpu backend's for every other kernel name. Without the addon the
 * backend still registers, at the lowest priority, and fails to initialise
 * with the one-line reason (so `tf.setBackend('onednn')` says how to get it).
 */
export function registerOnednnBackend(native: readonly KernelConfig[]): void {
  if (tf.findBackendFactory(ONEDNN) != null) return;
  const { problem } = loadAddon();
  tf.registerBackend(
    ONEDNN,
    () => {
      if (problem !== null) throw new Error(problem);
      return new OnednnBackend();
    },
    problem === null ? 3 : -1,
  );
  const own = new Set(native.map((k) => k.kernelName));
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (!own.has(config.kernelName)) tf.registerKernel({ ...config, backendName: ONEDNN });
  }
  for (const config of native) tf.registerKernel(config);
}
