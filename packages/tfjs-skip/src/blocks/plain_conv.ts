import type * as tf from '@tensorflow/tfjs';
import { conv2dFields } from 'tfjs-skip-internals';

/**
 * `layer`'s Conv2D fields when it is a built 2D NHWC Conv2D with the given
 * activation and no dilation, padded 'same' or 'valid' (the convolutions
 * the fused training runs and inference folding take), else null.
 */
export function plainConv2d(
  layer: tf.layers.Layer,
  activation: 'linear' | 'relu',
): ReturnType<typeof conv2dFields> | null {
  if (layer.getClassName() !== 'Conv2D' || !layer.built) return null;
  const conv = conv2dFields(layer);
  const dilations = typeof conv.dilationRate === 'number' ? [conv.dilationRate] : conv.dilationRate;
  const plain =
    conv.rank === 2 &&
    conv.activation.getClassName() === activation &&
    conv.dataFormat === 'channelsLast' &&
    (conv.padding === 'same' || conv.padding === 'valid') &&
    dilations.every((d) => d === 1);
  return plain ? conv : null;
}
