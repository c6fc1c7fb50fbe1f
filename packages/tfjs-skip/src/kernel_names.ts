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
