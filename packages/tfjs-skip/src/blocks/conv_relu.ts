import * as tf from '@tensorflow/tfjs';
import { conv2dBias, conv2dFields, lazyGradientOp, variableOf } from 'tfjs-skip-internals';
import { RELU_BIAS_GRAD } from '../kernel_names.js';
import { plainConv2d } from './plain_conv.js';

type Layer = tf.layers.Layer;

/** The window of a {@link convRelu}. */
export interface ConvReluArgs {
  /** The convolution's strides, [height, width] or one for both. */
  strides: number | [number, number];
  /** The convolution's padding. */
  pad: 'same' | 'valid';
}

/**
 * `relu(conv2d(x, filter) + bias)` (NHWC; `bias` optional) as one op in
 * training as well: the forward pass is one `FusedConv2D` kernel (the bias
 * and the ReLU as the convolution's post-ops on tfjs-skip-onednn), where
 * `tf.fused.conv2d` runs three kernels (the convolution, the bias add and the
 * ReLU) whenever a gradient is being recorded. The gradient is the one those
 * three have: ReLU's gradient (from the output, which is positive exactly
 * where the ReLU's input is), the bias's sum over batch, height and width
 * (one pass with the ReLU's where the backend registers `RELU_BIAS_GRAD`),
 * and the convolution's two backprops, each computed only when the gradient
 * flows to its input (a model's first convolution computes none to the
 * images, as the layer's kernels do).
 */
function convRelu_(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | undefined,
  args: ConvReluArgs,
): tf.Tensor4D {
  const window = { strides: args.strides, pad: args.pad, dataFormat: 'NHWC' as const };
  const inputs = { x, filter, ...(bias && { bias }) };
  const forward = (save: (tensors: tf.Tensor[]) => void) => {
    const y = tf.engine().runKernel(tf.FusedConv2D, inputs, { ...window, dilations: [1, 1], activation: 'relu' });
    save([x, filter, y as tf.Tensor]);
    return y as tf.Tensor4D;
  };
  const gradients = (dy: tf.Tensor, saved: tf.Tensor[]) => {
    const [sx, sf, sy] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    // The ReLU's gradient, given the output, which is positive exactly where the ReLU's input is. Every input's
    // gradient needs it: computed here, once, it lives as long as the scope the gradient is called in
    // (tfjs-skip-train's step frees it with this op's). With a bias, a backend's RELU_BIAS_GRAD gives the bias's
    // gradient in the same pass; else the registered ReLU gradient (a backend's fast one, when it overrides
    // tfjs-core's) and a Sum.
    let dPre: tf.Tensor4D;
    let dBias: (() => tf.Tensor) | undefined;
    if (bias && tf.getKernel(RELU_BIAS_GRAD, tf.getBackend()) !== undefined) {
      const [dz, db] = tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y: sy }) as [tf.Tensor4D, tf.Tensor1D];
      [dPre, dBias] = [dz, () => db];
    } else {
      dPre = tf.getGradient(tf.Relu)!.gradFunc(dy, [sy], {})['x']!() as tf.Tensor4D;
      if (bias) dBias = () => tf.sum(dPre, [0, 1, 2]);
    }
    const grads: Record<string, () => tf.Tensor> = {
      x: () =>
        tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dPre, filter: sf }, { ...window, inputShape: sx.shape }),
      filter: () =>
        tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: sx, dy: dPre }, { ...window, filterShape: sf.shape }),
      ...(dBias && { bias: dBias }),
    };
    return grads;
  };
  return lazyGradientOp(inputs, forward, gradients) as tf.Tensor4D;
}

/**
 * `relu(conv2d(x, filter) + bias)` with a gradient, in one kernel forward
 * (see {@link ConvReluRun} for where tfjs-skip uses it).
 */
export const convRelu = tf.op({ convRelu_ });

/**
 * A Conv2D layer with a ReLU activation, run in training as one
 * {@link convRelu} instead of the three kernels tfjs-layers' `call` runs
 * while a gradient is recorded. The layer's weights are the op's inputs, so
 * the gradients reach them as through the layer.
 */
export class ConvReluRun {
  private constructor(private readonly conv: Layer) {}

  /** How many layers of the path the run stands for. */
  readonly length = 1;

  /** The run that starts at `path[start]`, or null when that layer is not one it can take. */
  static at(path: readonly Layer[], start: number): ConvReluRun | null {
    const conv = path[start];
    if (conv === undefined || !reluConv(conv)) return null;
    return new ConvReluRun(conv);
  }

  /** The layer applied to `x` (training and inference compute the same). */
  apply(x: tf.Tensor): tf.Tensor {
    const fields = conv2dFields(this.conv);
    const bias = conv2dBias(this.conv);
    return convRelu(
      x as tf.Tensor4D,
      variableOf(fields.kernel) as tf.Variable<tf.Rank.R4>,
      bias === null ? undefined : (variableOf(bias) as tf.Variable<tf.Rank.R1>),
      { strides: fields.strides as [number, number], pad: fields.padding as 'same' | 'valid' },
    );
  }
}

/** A built NHWC float32 Conv2D with a ReLU activation and no dilation, padded 'same' or 'valid'. */
function reluConv(layer: Layer): boolean {
  const conv = plainConv2d(layer, 'relu');
  return conv !== null && variableOf(conv.kernel).dtype === 'float32';
}
