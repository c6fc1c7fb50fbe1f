import * as tf from '@tensorflow/tfjs';
import { asWasmBackend } from '../wasm_backend.js';
import { simdStatus } from './module.js';

/**
 * Whether the SIMD kernels (Winograd convolutions, batch norm, per-channel
 * ops) run on the registered `wasm` backend: `ready`, `pending` (a browser is
 * instantiating them; the backend's kernels serve meanwhile), `disabled`, or
 * `unavailable` (no wasm backend started, or no WebAssembly SIMD).
 */
export function wasmSimdStatus(): 'ready' | 'pending' | 'disabled' | 'unavailable' {
  const backend = tf.engine().registry['wasm']; // started backends only: asking must not start one
  if (backend === undefined) return 'unavailable';
  return simdStatus(asWasmBackend(backend).wasm);
}
