import * as tf from '@tensorflow/tfjs';
import { skipConnection } from 'tfjs-skip';

/** Options of the MLP twins. */
export interface MlpArgs {
  /** Weighted (dense) layers, counting the first and the classifier: 2 + 2k. */
  readonly depth: number;
  /** Units of every hidden layer. */
  readonly width: number;
  readonly inputShape: number[];
  readonly classes: number;
}

/**
 * A deep, narrow multilayer perceptron: a dense stem, `(depth - 2) / 2`
 * blocks of two dense layers, and a dense classifier to logits. The residual
 * twin wraps each block in a `SkipConnection` (`relu(x + dense(relu(dense(x))))`,
 * He et al. 2016's basic block with dense layers); the plain one has the same
 * layers without the skips. Dense layers keep TF.js's default Glorot-uniform
 * initializer, what `tf.layers.dense` gives everyone. Deep and narrow, the
 * twins show in seconds what deep conv nets show in hours: through the plain
 * net the signal and the gradient fade with depth; the skips carry both.
 */
export function mlpTwin(args: MlpArgs, residual: boolean): tf.Sequential {
  const blocks = (args.depth - 2) / 2;
  const dense = (activation?: 'relu') => tf.layers.dense({ units: args.width, ...(activation && { activation }) });
  const layers: tf.layers.Layer[] = [tf.layers.flatten({ inputShape: args.inputShape }), dense('relu')];
  for (let b = 0; b < blocks; b++) {
    const path = [dense('relu'), dense()];
    layers.push(...(residual ? [skipConnection({ mainPath: path })] : path), tf.layers.reLU());
  }
  layers.push(tf.layers.dense({ units: args.classes }));
  return tf.sequential({ name: `${residual ? 'residual_' : 'plain_'}mlp${args.depth}`, layers });
}
