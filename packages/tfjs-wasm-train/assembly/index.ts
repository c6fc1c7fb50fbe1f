export { scratchBytes, filterBytes, filterTransform, conv3x3, conv3x3Filter } from './winograd';
export { columnSums, affine, channelBinary, batchNormGradSums, batchNormTrainDx, broadcastRows } from './channelwise';
export { CHANNEL_ADD, CHANNEL_SUB, CHANNEL_MUL, CHANNEL_DIV } from './channelwise';
export { avgPoolGrad, maxPoolGrad } from './pooling';
export { conv2dPatches, conv2dPatchesFilterGrad, conv2dPatchesInputGrad, patchScratchBytes } from './patch_gemm';
export {
  binary,
  unary,
  PAIR_SAME,
  PAIR_B_SCALAR,
  PAIR_A_SCALAR,
  UNARY_RELU,
  UNARY_STEP,
  UNARY_SQUARE,
} from './elementwise';
export { adamUpdate } from './optimizer';
