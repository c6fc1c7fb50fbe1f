import * as tf from '@tensorflow/tfjs';
import { conv2dFields, variableOf } from 'tfjs-skip-internals';
import { CONV_BATCH_NORM, CONV_BATCH_NORM_GRAD } from '../kernel_names.js';
import { BatchNormalization, batchNormTrainingForward, batchNormTrainingGrad } from './batch_norm.js';
import { ConvReluRun } from './conv_relu.js';
import { plainConv2d } from './plain_conv.js';

type Layer = tf.layers.Layer;

/** The window and normalization of a {@link convBatchNorm}. */
export interface ConvBatchNormArgs {
  /** The convolution's strides, [height, width] or one for both. */
  strides: number | [number, number];
  /** The convolution's padding. */
  pad: 'same' | 'valid';
  /** Batch norm's epsilon, added to the variance. */
  epsilon: number;
  /** Applied last: `'relu'` (keeping NaN, as tf.relu) or `'linear'` (none). */
  activation: 'relu' | 'linear';
  /** Added after the batch norm, before the activation: a residual block's shortcut, of the output's shape. */
  residual?: tf.Tensor4D | undefined;
}

/** What {@link convBatchNorm} returns. */
export interface ConvBatchNormResult {
  /** `activation(batchNorm(conv2d(x, filter)) + residual)`. */
  y: tf.Tensor4D;
  /** The batch mean of each output channel (the caller's to dispose). */
  mean: tf.Tensor1D;
  /** The batch (biased) variance of each output channel (the caller's to dispose). */
  variance: tf.Tensor1D;
}

const AXES = [0, 1, 2];

/** {@link convBatchNorm} before `tf.op` names it. */
function convBatchNorm_(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  args: ConvBatchNormArgs,
): ConvBatchNormResult {
  const { residual } = args;
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = inputs.pop() as tf.GradSaveFunc;
    const [xx, ff, gg, bb, rr] = inputs as unknown as [
      tf.Tensor4D,
      tf.Tensor4D,
      tf.Tensor1D,
      tf.Tensor1D,
      tf.Tensor4D?,
    ];
    const { y, mean, variance, z } = convBatchNormForward(xx, ff, gg, bb, rr, args);
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    save([xx, ff, z, mean, variance, gg, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => convBatchNormGrad(dy as tf.Tensor4D, saved, args),
    };
  });
  const y = op(...(residual === undefined ? [x, filter, gamma, beta] : [x, filter, gamma, beta, residual]));
  return { y: y as tf.Tensor4D, ...stats! };
}

/**
 * A residual block's bias-free NHWC convolution, batch norm on the batch's
 * statistics (training mode), optional residual add and ReLU as one op:
 * `y = activation(batchNorm(conv2d(x, filter)) + residual)`, with the batch
 * mean and variance for the moving statistics. On a backend that registers
 * the {@link CONV_BATCH_NORM} kernels (tfjs-skip-onednn) it is one kernel
 * forward and one backward; elsewhere it runs the ops the layers run one by
 * one (`tf.fused.conv2d`, `batchNormTraining`'s, `tf.add`, `tf.relu`),
 * with the same gradient definition.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { convBatchNorm } from 'tfjs-skip';
 *
 * const x = tf.ones([2, 4, 4, 3]) as tf.Tensor4D;
 * const filter = tf.ones([3, 3, 3, 8]) as tf.Tensor4D;
 * const { y, mean } = convBatchNorm(x, filter, tf.ones([8]).as1D(), tf.zeros([8]).as1D(), {
 *   strides: 2,
 *   pad: 'same',
 *   epsilon: 1e-3,
 *   activation: 'relu',
 * });
 * y.shape; // => [2, 2, 2, 8]
 * mean.arraySync()[0]; // => 18.75
 * ```
 */
export const convBatchNorm = tf.op({ convBatchNorm_ });

/** Whether the active backend runs {@link convBatchNorm} as its own kernels (else as the layers' ops). */
export function convBatchNormIsFused(): boolean {
  const backend = tf.getBackend();
  return (
    tf.getKernel(CONV_BATCH_NORM, backend) !== undefined && tf.getKernel(CONV_BATCH_NORM_GRAD, backend) !== undefined
  );
}

function convBatchNormForward(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  residual: tf.Tensor4D | undefined,
  args: ConvBatchNormArgs,
): { y: tf.Tensor4D; mean: tf.Tensor1D; variance: tf.Tensor1D; z: tf.Tensor4D } {
  if (convBatchNormIsFused()) {
    const inputs = { x, filter, scale: gamma, offset: beta, ...(residual && { residual }) };
    const [y, mean, variance, z] = tf.engine().runKernel(CONV_BATCH_NORM, inputs, kernelAttrs(args)) as [
      tf.Tensor4D,
      tf.Tensor1D,
      tf.Tensor1D,
      tf.Tensor4D,
    ];
    return { y, mean, variance, z };
  }
  const z = tf.fused.conv2d({ x, filter, strides: args.strides, pad: args.pad });
  const { value, mean, variance } = batchNormTrainingForward(z, gamma, beta, args.epsilon, AXES);
  const sum = residual === undefined ? value : tf.add(value, residual);
  return { y: (args.activation === 'relu' ? tf.relu(sum) : sum) as tf.Tensor4D, mean, variance, z };
}

/**
 * [dx, dfilter, dgamma, dbeta] (and dresidual) of {@link convBatchNorm}; saved
 * = [x, filter, z, mean, variance, gamma, y].
 */
function convBatchNormGrad(dy: tf.Tensor4D, saved: tf.Tensor[], args: ConvBatchNormArgs): tf.Tensor[] {
  const [x, filter, z, mean, variance, gamma, y] = saved as [
    tf.Tensor4D,
    tf.Tensor4D,
    tf.Tensor4D,
    tf.Tensor1D,
    tf.Tensor1D,
    tf.Tensor1D,
    tf.Tensor4D,
  ];
  const residual = args.residual !== undefined;
  if (convBatchNormIsFused()) {
    const inputs = { dy, x, filter, z, mean, variance, scale: gamma, y };
    return tf.engine().runKernel(CONV_BATCH_NORM_GRAD, inputs, { ...kernelAttrs(args), residual }) as tf.Tensor[];
  }
  return tf.tidy(() => {
    // Relu's gradient is dy * Step(its input), and its output is > 0 (or NaN) exactly where its input is.
    const dPre = args.activation === 'relu' ? tf.mul(dy, tf.step(y)) : dy;
    const [dz, dgamma, dbeta] = batchNormTrainingGrad(dPre, [z, mean, variance, gamma], args.epsilon, AXES) as [
      tf.Tensor4D,
      tf.Tensor1D,
      tf.Tensor1D,
    ];
    const window = { strides: args.strides, pad: args.pad, dataFormat: 'NHWC' };
    const dx = tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dz, filter }, { ...window, inputShape: x.shape });
    const dfilter = tf
      .engine()
      .runKernel(tf.Conv2DBackpropFilter, { x, dy: dz }, { ...window, filterShape: filter.shape });
    const grads = [dx as tf.Tensor, dfilter as tf.Tensor, dgamma, dbeta];
    return residual ? [...grads, dPre === dy ? tf.clone(dy) : dPre] : grads;
  });
}

function kernelAttrs(args: ConvBatchNormArgs): tf.NamedAttrMap {
  const { strides, pad, epsilon, activation } = args;
  return { strides, pad, varianceEpsilon: epsilon, activation };
}

/**
 * Layers of a path that {@link convBatchNorm} runs as one op in training: a
 * Conv2D without bias or activation, then tfjs-skip's BatchNormalization over
 * the channels with gamma and beta, then (or not) a plain ReLU.
 */
export class ConvBatchNormRun {
  private constructor(
    private readonly conv: Layer,
    private readonly batchNorm: BatchNormalization,
    /** Whether a ReLU layer ends the run. */
    readonly relu: boolean,
  ) {}

  /** How many layers of the path the run stands for. */
  get length(): number {
    return this.relu ? 3 : 2;
  }

  /** The run that starts at `path[start]`, or null when those layers are not one it can take. */
  static at(path: readonly Layer[], start: number): ConvBatchNormRun | null {
    const [conv, batchNorm, next] = path.slice(start, start + 3);
    if (conv === undefined || !fusableConv(conv) || !(batchNorm instanceof BatchNormalization)) return null;
    const normalizesChannels = batchNorm.axis === -1 || batchNorm.axis === 3;
    if (!normalizesChannels || batchNorm.gamma === undefined || batchNorm.beta === undefined || !batchNorm.built)
      return null;
    const relu =
      next !== undefined && next.getClassName() === 'ReLU' && (next as { maxValue?: number | null }).maxValue == null;
    return new ConvBatchNormRun(conv, batchNorm, relu);
  }

  /** The run's layers applied to `x` in training (`residual` added before the ReLU): one {@link convBatchNorm}. */
  apply(x: tf.Tensor, residual?: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const conv = conv2dFields(this.conv);
      const { batchNorm } = this;
      const { y, mean, variance } = convBatchNorm(
        x as tf.Tensor4D,
        variableOf(conv.kernel) as tf.Variable<tf.Rank.R4>,
        variableOf(batchNorm.gamma!) as tf.Variable<tf.Rank.R1>,
        variableOf(batchNorm.beta!) as tf.Variable<tf.Rank.R1>,
        {
          strides: conv.strides as [number, number],
          pad: conv.padding as 'same' | 'valid',
          epsilon: batchNorm.epsilon,
          activation: this.relu ? 'relu' : 'linear',
          residual: residual as tf.Tensor4D | undefined,
        },
      );
      batchNorm.updateMovingStatistics(mean, variance);
      tf.dispose([mean, variance]);
      return y;
    });
  }
}

/** A built NHWC Conv2D with no bias, no activation and no dilation, padded 'same' or 'valid'. */
export function fusableConv(layer: Layer): boolean {
  const conv = plainConv2d(layer, 'linear');
  return conv !== null && !conv.useBias;
}

/** Whether `path` ends in a conv → BatchNormalization run without ReLU, which can take a residual add. */
export function addsInLastRun(path: readonly Layer[]): boolean {
  return path.length >= 2 && ConvBatchNormRun.at(path, path.length - 2)?.relu === false;
}

/**
 * Runs `path` on a concrete tensor in training, each conv →
 * BatchNormalization (→ ReLU) run as one {@link convBatchNorm} and each
 * Conv2D with a ReLU activation as one `convRelu` (the layers between them
 * as they are); with `addend` (when {@link addsInLastRun}), `path(x) +
 * addend`, the add inside the last run.
 */
export function runPathFused(path: readonly Layer[], x: tf.Tensor, addend?: tf.Tensor): tf.Tensor {
  let h = x;
  for (let i = 0; i < path.length;) {
    const run = ConvBatchNormRun.at(path, i);
    const reluRun = run === null ? ConvReluRun.at(path, i) : null;
    if (run !== null) {
      i += run.length;
      h = run.apply(h, i === path.length ? addend : undefined);
    } else if (reluRun !== null) {
      i += reluRun.length;
      h = reluRun.apply(h);
    } else {
      h = path[i]!.apply(h, { training: true }) as tf.Tensor;
      i += 1;
    }
  }
  return h;
}
