/**
 * tfjs-skip-onednn: a TF.js backend for Node.js named `onednn`, whose heavy
 * kernels (convolutions and their gradients, matrix products, pooling, batch
 * norm, activations, optimizer updates) run on the system's oneDNN through a
 * Node-API addon, and every other kernel on TF.js's cpu backend, on the same
 * memory. Importing the package registers it.
 *
 * @module tfjs-skip-onednn
 */
import '@tensorflow/tfjs';
import { registerOnednnBackend } from './backend.js';
import { registerOnednnGradients } from './gradients.js';
import { addon, loadAddon, type OnednnInfo } from './native.js';
import { nativeKernelConfigs } from './register_all_kernels.js';

registerOnednnBackend(nativeKernelConfigs);
registerOnednnGradients();

export { ONEDNN, OnednnBackend } from './backend.js';
export { BufferPool } from './buffer_pool.js';
export { HOW_TO_GET, type OnednnInfo } from './native.js';
export { nativeKernelConfigs } from './register_all_kernels.js';

/**
 * Why the onednn backend cannot run here (one line, with how to get it), or
 * null when its addon is built and loads.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { onednnProblem } from 'tfjs-skip-onednn';
 *
 * await tf.setBackend(onednnProblem() === null ? 'onednn' : 'cpu');
 * tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).arraySync(); // => [[3, 3], [3, 3]]
 * ```
 */
export function onednnProblem(): string | null {
  return loadAddon().problem;
}

/** oneDNN's version, the instruction set its kernels chose on this CPU, and its threads; throws when absent. */
export function onednnInfo(): OnednnInfo {
  return addon().info();
}

/**
 * Sets the threads oneDNN's kernels use from the next kernel on (default:
 * every core, or `OMP_NUM_THREADS`).
 */
export function setOnednnThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`setOnednnThreads: threads must be a positive integer; received ${String(threads)}.`);
  }
  addon().setThreads(threads);
}
