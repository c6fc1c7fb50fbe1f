import type { KernelConfig } from '@tensorflow/tfjs';
import { avgPoolConfig } from './kernels/AvgPool.js';
import { avgPoolGradConfig } from './kernels/AvgPoolGrad.js';
import { batchMatMulConfig } from './kernels/BatchMatMul.js';
import { batchNormTrainConfig } from './kernels/BatchNormTrain.js';
import { batchNormTrainGradConfig } from './kernels/BatchNormTrainGrad.js';
import { binaryConfigs } from './kernels/binary.js';
import { conv2DConfig } from './kernels/Conv2D.js';
import { conv2DBackpropFilterConfig } from './kernels/Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './kernels/Conv2DBackpropInput.js';
import { depthwiseConv2dNativeConfig } from './kernels/DepthwiseConv2dNative.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './kernels/DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './kernels/DepthwiseConv2dNativeBackpropInput.js';
import { fusedBatchNormConfig } from './kernels/FusedBatchNorm.js';
import { fusedConv2DConfig } from './kernels/FusedConv2D.js';
import { fusedDepthwiseConv2DConfig } from './kernels/FusedDepthwiseConv2D.js';
import { fusedMatMulConfig } from './kernels/FusedMatMul.js';
import { maxPoolConfig } from './kernels/MaxPool.js';
import { maxPoolGradConfig } from './kernels/MaxPoolGrad.js';
import { adamUpdateConfig, momentumUpdateConfig } from './kernels/optimizer.js';
import { padV2Config } from './kernels/PadV2.js';
import { reduceConfigs } from './kernels/reduce.js';
import { sliceConfig } from './kernels/Slice.js';
import { unaryConfigs } from './kernels/unary.js';

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
  ...unaryConfigs,
  ...binaryConfigs,
  ...reduceConfigs,
  sliceConfig,
  padV2Config,
  adamUpdateConfig,
  momentumUpdateConfig,
];
