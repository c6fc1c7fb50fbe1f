import * as tf from '@tensorflow/tfjs';
import type { DataType, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * The part of tfjs-backend-wasm's `BackendWasm` the kernels use. The backend
 * does not export its class type from the package root, so this is the one
 * place where the `backend: {}` a kernel receives is cast.
 */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  typedArrayFromHeap(info: TensorInfo): ArrayLike<number>;
  /** Where each tensor lives on the heap (byte offsets). */
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  /** The Emscripten module: its exports hold the heap's WebAssembly.Memory. */
  wasm?: { asm?: { memory?: unknown } };
}

export function asWasmBackend(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (
    b == null ||
    typeof b.makeOutput !== 'function' ||
    typeof b.typedArrayFromHeap !== 'function' ||
    b.dataIdMap == null
  ) {
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

/**
 * A copy of a float32 tensor's values. Unlike a heap view, it survives later
 * allocations (growing the heap detaches every view).
 */
export function heapCopy(backend: WasmBackend, info: TensorInfo): Float32Array {
  return heapF32(backend, info).slice();
}

/** A new float32 tensor on the heap holding `values`. */
export function tensorFrom(backend: WasmBackend, shape: readonly number[], values: ArrayLike<number>): TensorInfo {
  const out = backend.makeOutput([...shape], 'float32');
  heapF32(backend, out).set(values);
  return out;
}

/** A kernel's arguments with their types: what tfjs passes as `{}` and `NamedAttrMap`. */
export interface WasmKernelArgs<Inputs, Attrs> {
  backend: WasmBackend;
  inputs: Inputs;
  attrs: Attrs;
}

/** A wasm kernel config whose function receives typed arguments. */
export function wasmKernel<Inputs, Attrs>(
  kernelName: string,
  kernel: (args: WasmKernelArgs<Inputs, Attrs>) => TensorInfo | TensorInfo[],
): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ backend, inputs, attrs }) =>
      kernel({
        backend: asWasmBackend(backend),
        inputs: inputs as unknown as Inputs,
        attrs: (attrs ?? {}) as unknown as Attrs,
      }),
  };
}

/** The shape of a rank-4 tensor as a tuple, or an error naming the tensor and its shape. */
export function shape4d(kernelName: string, name: string, info: TensorInfo): [number, number, number, number] {
  if (info.shape.length !== 4) {
    throw new Error(
      `${kernelName} on wasm (tfjs-wasm-train) needs a rank-4 '${name}'; received shape [${info.shape}].`,
    );
  }
  return info.shape as [number, number, number, number];
}

/** A numeric tensor's bytes on the wasm heap, typed by its dtype (float32, int32 or bool). */
export function heapNumeric(backend: WasmBackend, info: TensorInfo): Float32Array | Int32Array | Uint8Array {
  return backend.typedArrayFromHeap(info) as Float32Array | Int32Array | Uint8Array;
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
    throw new Error(
      `Kernel '${kernelName}' is not registered for backend 'wasm'; import '@tensorflow/tfjs-backend-wasm' first.`,
    );
  }
  return config.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/** The byte offset of a tensor's data on the wasm heap. */
export function heapOffset(backend: WasmBackend, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error(`No wasm heap data for a tensor of shape [${info.shape}]: was it disposed?`);
  return data.memoryOffset;
}

/** Runs f with temporary heap buffers of the given byte sizes (their offsets), freed afterwards. */
export function withHeapBuffers<T>(backend: WasmBackend, bytes: number[], f: (...offsets: number[]) => T): T {
  const buffers = bytes.map((b) => backend.makeOutput([Math.max(1, Math.ceil(b / 4))], 'float32'));
  try {
    return f(...buffers.map((b) => heapOffset(backend, b)));
  } finally {
    dispose(backend, ...buffers);
  }
}

export function dispose(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
