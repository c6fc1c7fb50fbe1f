import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from './batch_norm.js';

/**
 * The convolutions and normalisations the blocks are made of: bias-free
 * `'same'` convolutions with He initialisation (He et al. 2015), as every
 * BatchNorm-ed residual and dense net uses.
 */
export function conv(filters: number, kernelSize: number, strides = 1): tf.layers.Layer {
  return tf.layers.conv2d({
    filters,
    kernelSize,
    strides,
    padding: 'same',
    useBias: false,
    kernelInitializer: 'heNormal',
  });
}

/** BatchNorm on the channel axis (./batch_norm.ts); `zeroGamma` starts it at 0 (Goyal et al. 2017). */
export function bn(zeroGamma = false): tf.layers.Layer {
  return batchNormalization(zeroGamma ? { gammaInitializer: 'zeros' } : {});
}

/** A ReLU layer (a fresh instance per call: a layer appears once in a model). */
export function relu(): tf.layers.Layer {
  return tf.layers.reLU();
}
