import * as tf from '@tensorflow/tfjs';
import { batchNormFields, conv2dFields, engineTape, TfjsInternalsError, variableOf } from 'tfjs-skip-internals';
import { fusableConv } from './conv_batch_norm.js';

type Layer = tf.layers.Layer;

/** A batch norm layer's folded filter and bias, and the tensors they were folded from. */
interface Folded {
  /** The conv's filter, gamma, beta (when the layer has them), moving mean and moving variance. */
  sources: tf.Tensor[];
  /** Their data when folded: a variable's changes whenever it is assigned (`setWeights`, a training step). */
  from: object[];
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
}

/** By batch norm layer, its run's folded weights; an entry whose sources are disposed is freed at the next fold. */
const folds = new Map<Layer, Folded>();

/** Frees the folded weights of disposed models (their variables disposed with them); how many runs keep theirs. */
export function sweepFolds(): number {
  for (const [layer, entry] of folds) {
    if (entry.sources.some((t) => t.isDisposed)) {
      tf.dispose([entry.filter, entry.bias]);
      folds.delete(layer);
    }
  }
  return folds.size;
}

/**
 * The filter and bias of a conv → BatchNormalization run at inference, batch
 * norm's moving statistics folded into the convolution: with
 * `s = gamma / sqrt(movingVariance + epsilon)`, `filter · s` (over output
 * channels) and `beta - movingMean · s`. Computed once, then again only after
 * one of those weights is assigned; freed once the model is disposed.
 */
function folded(conv: Layer, batchNorm: Layer): [tf.Tensor4D, tf.Tensor1D] {
  const fields = batchNormFields(batchNorm);
  const filter = variableOf(conv2dFields(conv).kernel);
  const [mean, variance] = [variableOf(fields.movingMean), variableOf(fields.movingVariance)];
  const gamma = fields.gamma === undefined ? null : variableOf(fields.gamma);
  const beta = fields.beta === undefined ? null : variableOf(fields.beta);
  const sources = [filter, mean, variance, ...(gamma ? [gamma] : []), ...(beta ? [beta] : [])];
  const from = sources.map((t) => t.dataId);
  const kept = folds.get(batchNorm);
  if (kept !== undefined && kept.from.every((id, i) => id === from[i])) return [kept.filter, kept.bias];
  sweepFolds();
  if (kept !== undefined && folds.has(batchNorm)) tf.dispose([kept.filter, kept.bias]);
  const [foldedFilter, bias] = tf.tidy(() => {
    const inverse = tf.rsqrt(tf.add(variance, fields.epsilon));
    const scale = gamma === null ? inverse : tf.mul(gamma, inverse);
    const shift = tf.neg(tf.mul(mean, scale));
    return [
      tf.keep(tf.mul(filter, scale) as tf.Tensor4D),
      tf.keep((beta === null ? shift : tf.add(beta, shift)) as tf.Tensor1D),
    ];
  }) as [tf.Tensor4D, tf.Tensor1D];
  folds.set(batchNorm, { sources, from, filter: foldedFilter, bias });
  return [foldedFilter, bias];
}

/**
 * Whether inference may fold: not while a gradient is recorded (`tf.grad` of
 * a model at inference, a frozen batch norm being fine-tuned through), where
 * the gradient must reach the weights themselves, not their folded copies.
 */
export function foldingAllowed(): boolean {
  try {
    return engineTape().state.gradientDepth === 0;
  } catch (e) {
    if (e instanceof TfjsInternalsError) return false;
    throw e;
  }
}

/** The conv → BatchNormalization (→ ReLU) run at `path[start]`, or null: its batch norm and whether a ReLU ends it. */
function foldableAt(path: readonly Layer[], start: number): { batchNorm: Layer; relu: boolean } | null {
  const [conv, batchNorm, next] = path.slice(start, start + 3);
  if (conv === undefined || !fusableConv(conv) || batchNorm?.getClassName() !== 'BatchNormalization') return null;
  if (!batchNorm.built) return null;
  const { axis } = batchNormFields(batchNorm);
  if (axis !== -1 && axis !== 3) return null;
  const relu =
    next !== undefined && next.getClassName() === 'ReLU' && (next as { maxValue?: number | null }).maxValue == null;
  return { batchNorm, relu };
}

/**
 * Runs `path` on a concrete tensor at inference, each conv →
 * BatchNormalization (→ ReLU) run as one `FusedConv2D` with the batch norm
 * folded into its filter and bias and the ReLU as its activation (three
 * kernels, or two, become one); the layers between them as they are. What
 * the layers compute, up to float32 rounding (the folded product is rounded
 * once where the layers round the convolution's and the normalization's).
 * Any BatchNormalization folds: tfjs-skip's, and tfjs-layers' own (a model
 * built with `tf.layers.batchNormalization` predicts as the same model saved
 * and loaded, which holds tfjs-skip's).
 */
export function runPathFolded(path: readonly Layer[], x: tf.Tensor): tf.Tensor {
  let h = x;
  for (let i = 0; i < path.length;) {
    const run = foldableAt(path, i);
    if (run === null) {
      h = path[i]!.apply(h, { training: false }) as tf.Tensor;
      i += 1;
      continue;
    }
    const conv = path[i]!;
    const fields = conv2dFields(conv);
    const [filter, bias] = folded(conv, run.batchNorm);
    h = tf.fused.conv2d({
      x: h as tf.Tensor4D,
      filter,
      bias,
      strides: fields.strides as [number, number],
      pad: fields.padding as 'same' | 'valid',
      activation: run.relu ? 'relu' : 'linear',
    });
    i += run.relu ? 3 : 2;
  }
  return h;
}
