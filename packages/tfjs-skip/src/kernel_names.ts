/**
 * The names of the kernels tfjs-skip's ops ask a backend for: the one place
 * they are spelled. The backends that implement them (tfjs-wasm-train for
 * wasm, tfjs-skip-onednn) import them from here, through the side-effect-free
 * `tfjs-skip/kernel-names` entry, so the two sides cannot drift apart.
 *
 * @module tfjs-skip/kernel-names
 */

/**
 * The kernel a backend may register for `batchNormTraining`'s forward
 * pass (tfjs-skip-onednn does): inputs `{x, scale, offset}`, attribute
 * `varianceEpsilon`, outputs `[y, mean, variance]` (biased variance).
 */
export const BATCH_NORM_TRAIN = 'TfjsSkipBatchNormTrain';

/**
 * The kernel a backend may register for `batchNormTraining`'s gradient
 * (tfjs-wasm-train does, for wasm; tfjs-skip-onednn, for onednn): inputs
 * `{dy, x, mean, variance, scale}`, attribute `varianceEpsilon`, outputs
 * `[dx, dscale, doffset]`.
 */
export const BATCH_NORM_TRAIN_GRAD = 'TfjsWasmTrainBatchNormTrainGrad';

/**
 * The kernel a backend may register for `convBatchNorm`'s forward pass
 * (tfjs-skip-onednn does): a bias-free NHWC convolution, batch norm on the
 * batch's statistics, an optional residual added, then the activation, as
 * `y = activation(batchNorm(conv2d(x, filter)) + residual)`. Inputs `{x,
 * filter, scale, offset, residual?}`; attributes `strides`, `pad` (`'same'`
 * or `'valid'`), `varianceEpsilon` and `activation` (`'relu'` or
 * `'linear'`); outputs `[y, mean, variance, z]`: the batch's mean and biased
 * variance per channel, and `z` the convolution's output, which the gradient
 * reads.
 */
export const CONV_BATCH_NORM = 'TfjsSkipConvBatchNorm';

/**
 * The kernel a backend may register for `convBatchNorm`'s gradient: inputs
 * `{dy, x, filter, z, mean, variance, scale, y}` (the forward's inputs and
 * outputs), attributes those of {@link CONV_BATCH_NORM} and `residual`
 * (whether the forward added one); outputs `[dx, dfilter, dscale, doffset]`,
 * then `dresidual` when `residual` is true.
 */
export const CONV_BATCH_NORM_GRAD = 'TfjsSkipConvBatchNormGrad';

/**
 * The kernel a backend may register for a BatchNormalization layer's
 * moving-average update in training (tfjs-skip-onednn does): inputs
 * `{movingMean, movingVariance, mean, variance}`, vectors of the channels;
 * attribute `decay` (1 - the layer's momentum); outputs `[movingMean',
 * movingVariance']`, each `moving - (moving - batch) * decay` in float32,
 * tfjs-layers' update with its order of operations (three kernels a
 * statistic where no backend registers it).
 */
export const MOVING_AVERAGES = 'TfjsSkipMovingAverages';

/**
 * The kernel a backend may register for the gradient of `relu(z + bias)`
 * through its output, as `convRelu`'s gradient needs it (tfjs-skip-onednn
 * does): inputs `{dy, y}` of one shape, channels last; outputs `[dz, dbias]`,
 * `dz = dy * Step(y)` (NaN where y is NaN, as Relu's gradient) and `dbias`
 * its sum over every axis but the last, in one pass where tfjs-core's takes
 * the ReLU's gradient and then a Sum.
 */
export const RELU_BIAS_GRAD = 'TfjsSkipReluBiasGrad';
