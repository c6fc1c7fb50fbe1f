import * as tf from '@tensorflow/tfjs';
import { overrideGradient, type FastGradient } from 'tfjs-skip-train';
import { simdFor } from '../simd/module.js';
import { asWasmBackend } from '../wasm_backend.js';

/** Whether the current backend is wasm with this package's SIMD kernels ready. */
export function onWasmWithSimd(): boolean {
  return tf.getBackend() === 'wasm' && simdFor(asWasmBackend(tf.backend()).wasm) !== null;
}

/** tfjs-skip-train's `overrideGradient`, owned by this package: `fast` decides itself whether it runs. */
export function overrideWasmGradient(kernelName: string, fast: FastGradient): void {
  overrideGradient('tfjs-wasm-train', kernelName, fast);
}
