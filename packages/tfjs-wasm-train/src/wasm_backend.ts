import * as tf from '@tensorflow/tfjs';
import type { DataType, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * The part of tfjs-backend-wasm's `BackendWasm` the kernels use. The backend
 * does not export its class type from the package root, so this is the one
 * place where the `backend: {}` a kernel receives is cast.
 */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  typedArrayFromHeap(info: TensorInfo): ArrayLike<number>;
}

export function asWasmBackend(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (b == null || typeof b.makeOutput !== 'function' || typeof b.typedArrayFromHeap !== 'function') {
    throw new Error(
      `tfjs-wasm-train kernels run only on the 'wasm' backend; received a backend of type ` +
        `${(backend as object | null)?.constructor?.name ?? String(backend)}.`,
    );
  }
  return b as WasmBackend;
}

/**
 * A float32 view of a tensor's bytes on the wasm heap. Take it after the last
 * allocation: growing the heap detaches earlier views.
 */
export function heapF32(backend: WasmBackend, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') {
    throw new Error(`Expected a float32 tensor, received dtype '${info.dtype}' (shape [${info.shape}]).`);
  }
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Kernels replaced by this package keep their original here, so they can still be called. */
const originals = new Map<string, tf.KernelConfig>();

export function rememberOriginal(config: tf.KernelConfig): void {
  if (!originals.has(config.kernelName)) originals.set(config.kernelName, config);
}

/** Runs another wasm kernel at the kernel level (no engine, no tape, no tidy). */
export function runKernel(
  backend: WasmBackend,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: object,
): TensorInfo {
  const config = originals.get(kernelName) ?? tf.getKernel(kernelName, 'wasm');
  if (config == null) {
    throw new Error(`Kernel '${kernelName}' is not registered for backend 'wasm'; import '@tensorflow/tfjs-backend-wasm' first.`);
  }
  return config.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

export function dispose(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
