export { gemm } from './gemm';
export { scratchBytes, filterBytes, filterTransform, conv3x3, conv3x3Filter } from './winograd';
export { columnSums, affine, channelBinary, batchNormGradSums, broadcastRows } from './channelwise';
export { conv2dFilterGrad } from './im2col';
export { maxPoolGrad } from './pooling';
