import type { KernelConfig } from '@tensorflow/tfjs';
import { avgPoolConfig } from './kernels/avg_pool.js';
import { avgPoolGradConfig } from './kernels/avg_pool_grad.js';
import { batchMatMulConfig } from './kernels/batch_mat_mul.js';
import { batchNormTrainConfig } from './kernels/batch_norm_train.js';
import { batchNormTrainGradConfig } from './kernels/batch_norm_train_grad.js';
import { binaryConfigs } from './kernels/binary.js';
import { convBatchNormConfig, convBatchNormGradConfig } from './kernels/conv_batch_norm.js';
import { conv2DConfig } from './kernels/conv2d.js';
import { conv2DBackpropFilterConfig } from './kernels/conv2d_backprop_filter.js';
import { conv2DBackpropInputConfig } from './kernels/conv2d_backprop_input.js';
import { depthwiseConv2dNativeConfig } from './kernels/depthwise_conv2d_native.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './kernels/depthwise_conv2d_native_backprop_filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './kernels/depthwise_conv2d_native_backprop_input.js';
import { fusedBatchNormConfig } from './kernels/fused_batch_norm.js';
import { fusedConv2DConfig } from './kernels/fused_conv2d.js';
import { fusedDepthwiseConv2DConfig } from './kernels/fused_depthwise_conv2d.js';
import { fusedMatMulConfig } from './kernels/fused_mat_mul.js';
import { maxPoolConfig } from './kernels/max_pool.js';
import { maxPoolGradConfig } from './kernels/max_pool_grad.js';
import { movingAveragesConfig } from './kernels/moving_averages.js';
import { adamUpdateConfig, momentumUpdateConfig, momentumUpdatesConfig } from './kernels/optimizer.js';
import { padV2Config } from './kernels/pad_v2.js';
import { reduceConfigs } from './kernels/reduce.js';
import { reluBiasGradConfig } from './kernels/relu_bias_grad.js';
import { reluGradConfig } from './kernels/relu_grad.js';
import { sliceConfig } from './kernels/slice.js';
import { unaryConfigs } from './kernels/unary.js';

/**
 * The fused kernels of a residual block's convolution, batch norm, residual
 * add and ReLU (tfjs-skip's `convBatchNorm`, which its SkipConnections run
 * in training). `TFJS_SKIP_ONEDNN_FUSION=off` leaves them out, to measure
 * what they save: tfjs-skip then runs those layers one kernel at a time.
 */
const fusedKernelConfigs: readonly KernelConfig[] =
  process.env['TFJS_SKIP_ONEDNN_FUSION'] === 'off' ? [] : [convBatchNormConfig, convBatchNormGradConfig];

/** Every kernel with a native version; the onednn backend runs the cpu backend's kernel for every other. */
export const nativeKernelConfigs: readonly KernelConfig[] = [
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeConfig,
  fusedDepthwiseConv2DConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  fusedBatchNormConfig,
  batchNormTrainConfig,
  batchNormTrainGradConfig,
  movingAveragesConfig,
  ...unaryConfigs,
  reluGradConfig,
  reluBiasGradConfig,
  ...binaryConfigs,
  ...reduceConfigs,
  sliceConfig,
  padV2Config,
  adamUpdateConfig,
  momentumUpdateConfig,
  momentumUpdatesConfig,
  ...fusedKernelConfigs,
];
