import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { addConfig, multiplyConfig, realDivConfig, subConfig } from './kernels/channel_binary.js';
import { adamUpdateConfig } from './kernels/AdamUpdate.js';
import { avgPoolGradConfig } from './kernels/AvgPoolGrad.js';
import { registerBatchNormGradient } from './gradients/batch_norm.js';
import { registerReductionGradients } from './gradients/reductions.js';
import { batchNormGradConfig } from './kernels/BatchNormGrad.js';
import { batchNormTrainGradConfig } from './kernels/BatchNormTrainGrad.js';
import { broadcastRowsConfig } from './kernels/BroadcastRows.js';
import { castConfig } from './kernels/Cast.js';
import { conv2DConfig } from './kernels/Conv2D.js';
import { conv2DBackpropFilterConfig } from './kernels/Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './kernels/Conv2DBackpropInput.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './kernels/DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './kernels/DepthwiseConv2dNativeBackpropInput.js';
import { fusedBatchNormConfig } from './kernels/FusedBatchNorm.js';
import { fusedConv2DConfig } from './kernels/FusedConv2D.js';
import { identityConfig } from './kernels/Identity.js';
import { maxPoolGradConfig } from './kernels/MaxPoolGrad.js';
import { meanConfig } from './kernels/Mean.js';
import { sumConfig } from './kernels/Sum.js';
import { tileConfig } from './kernels/Tile.js';
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
