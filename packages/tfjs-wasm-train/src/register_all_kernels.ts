import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { addConfig, multiplyConfig, realDivConfig, subConfig } from './kernels/channel_binary.js';
import { adamUpdateConfig } from './kernels/adam_update.js';
import { avgPoolGradConfig } from './kernels/avg_pool_grad.js';
import { registerBatchNormGradient } from './gradients/batch_norm.js';
import { registerReductionGradients } from './gradients/reductions.js';
import { batchNormGradConfig } from './kernels/batch_norm_grad.js';
import { batchNormTrainGradConfig } from './kernels/batch_norm_train_grad.js';
import { broadcastRowsConfig } from './kernels/broadcast_rows.js';
import { castConfig } from './kernels/cast.js';
import { conv2DConfig } from './kernels/conv2d.js';
import { conv2DBackpropFilterConfig } from './kernels/conv2d_backprop_filter.js';
import { conv2DBackpropInputConfig } from './kernels/conv2d_backprop_input.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './kernels/depthwise_conv2d_native_backprop_filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './kernels/depthwise_conv2d_native_backprop_input.js';
import { fusedBatchNormConfig } from './kernels/fused_batch_norm.js';
import { fusedConv2DConfig } from './kernels/fused_conv2d.js';
import { identityConfig } from './kernels/identity.js';
import { maxPoolGradConfig } from './kernels/max_pool_grad.js';
import { meanConfig } from './kernels/mean.js';
import { sumConfig } from './kernels/sum.js';
import { tileConfig } from './kernels/tile.js';
import { reluConfig, squareConfig, stepConfig } from './kernels/unary.js';
import { rememberOriginal } from './wasm_backend.js';

/** Every kernel this package registers for the `wasm` backend. */
const kernelConfigs: readonly tf.KernelConfig[] = [
  conv2DConfig,
  fusedConv2DConfig,
  fusedBatchNormConfig,
  addConfig,
  subConfig,
  multiplyConfig,
  realDivConfig,
  identityConfig,
  castConfig,
  batchNormGradConfig,
  batchNormTrainGradConfig,
  adamUpdateConfig,
  broadcastRowsConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
  meanConfig,
  sumConfig,
  tileConfig,
  reluConfig,
  stepConfig,
  squareConfig,
];

/** Names of the kernels `registerWasmTrainingKernels()` registers for `wasm`. */
export const wasmTrainingKernelNames: readonly string[] = kernelConfigs.map((c) => c.kernelName);

/**
 * Registers the training kernels for the `wasm` backend, replacing the
 * backend's own where it has a slower one, and the faster gradients of
 * FusedBatchNorm, Mean and Sum (used on wasm with the SIMD module; tfjs-core's
 * everywhere else). Safe to call any number of times.
 */
export function registerWasmTrainingKernels(): void {
  registerBatchNormGradient();
  registerReductionGradients();
  for (const config of kernelConfigs) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current == null) {
      tf.registerKernel(config);
      continue;
    }
    // A replaced kernel stays callable: the backend still runs its setup
    // (its wasm function bindings) when it starts, through ours.
    rememberOriginal(current);
    tf.unregisterKernel(config.kernelName, 'wasm');
    const { setupFunc, disposeFunc } = current;
    tf.registerKernel({
      ...config,
      ...(setupFunc ? { setupFunc } : {}),
      ...(disposeFunc ? { disposeFunc } : {}),
    });
  }
}
