import * as tf from '@tensorflow/tfjs';
import { positiveInteger } from '../../blocks/checks.js';
import { ConfigError } from '../../errors.js';
import { skipConnection } from '../../skip_connection.js';
import { zooDefaults, type ZooArgs } from '../options.js';
import { defineZooModel, type ZooOption } from '../zoo_model.js';

export interface MlpArgs extends ZooArgs {
  /** Weighted (dense) layers, counting the first and the classifier: `2k + 2` (default 8). */
  depth?: number;
  /** Units of every hidden layer (default 32). */
  width?: number;
  /** Wrap each block of two dense layers in a SkipConnection (default false). */
  residual?: boolean;
}

/** The rule of the MLP twins: `2k + 2` dense layers for a whole `k >= 1`. Returns why `depth` breaks it, or null. */
export function mlpDepthProblem(depth: unknown): string | null {
  const ok = typeof depth === 'number' && Number.isInteger(depth) && depth >= 4 && depth % 2 === 0;
  return ok
    ? null
    : `depth must be 2k + 2 dense layers for a whole k >= 1 (4, 6, 8, ...), but received ${JSON.stringify(depth)}`;
}

/**
 * A deep, narrow multilayer perceptron: a dense stem, `(depth - 2) / 2`
 * blocks of two dense layers, and a dense classifier to logits. With
 * `residual: true` each block is wrapped in a `SkipConnection`
 * (`relu(x + dense(relu(dense(x))))`, He et al. 2016's basic block with
 * dense layers); without, it is the plain twin with the same layers. Dense
 * layers keep TF.js's default Glorot-uniform initializer. Deep and narrow,
 * the twins show in seconds what deep conv nets show in hours: through the
 * plain net the signal and the gradient fade with depth; the skips carry both.
 */
export function mlp(args: MlpArgs = {}): tf.Sequential {
  const { inputShape, classes } = zooDefaults(args, 'mlp');
  const depth = args.depth ?? 8;
  const problem = mlpDepthProblem(depth);
  if (problem !== null) throw new ConfigError(`mlp ${problem}`);
  const width = positiveInteger(args.width ?? 32, 'mlp width');
  const residual = args.residual ?? false;
  const dense = (activation?: 'relu') => tf.layers.dense({ units: width, ...(activation && { activation }) });
  const layers: tf.layers.Layer[] = [tf.layers.flatten({ inputShape }), dense('relu')];
  for (let b = 0; b < (depth - 2) / 2; b++) {
    const path = [dense('relu'), dense()];
    layers.push(...(residual ? [skipConnection({ mainPath: path })] : path), tf.layers.reLU());
  }
  layers.push(tf.layers.dense({ units: classes }));
  return tf.sequential({ name: `${residual ? 'residual_' : 'plain_'}mlp${depth}`, layers });
}

/** The options of the MLP twins (`mlp`, `residual-mlp`), with the depth rule. */
export const MLP_OPTIONS: Readonly<Record<string, ZooOption>> = {
  depth: { description: 'dense layers, 2k + 2 (4, 8, 32, 64)', default: 8, check: mlpDepthProblem },
  width: { description: 'units of every hidden layer', default: 32 },
};

export default defineZooModel({
  id: 'mlp',
  name: 'MLP',
  description: 'A deep, narrow plain MLP: blocks of two dense layers, the twin of residual-mlp',
  source: 'He et al. 2016, "Deep Residual Learning for Image Recognition" (the basic block, with dense layers)',
  builder: mlp,
  options: MLP_OPTIONS,
  sizedBy: 'depth',
  twin: 'residual-mlp',
  residual: false,
  output: 'classes',
  small: { depth: 4, width: 8, inputShape: [6, 6, 1] },
  docs: `\
### \`mlp({depth, width, residual})\`

A deep, narrow multilayer perceptron for the degradation experiment in
seconds: a dense stem to \`width\` units, \`(depth - 2) / 2\` blocks of two dense
layers followed by a ReLU, and a dense classifier. With \`residual: true\`
(the \`residual-mlp\` model) each block is a SkipConnection; without, it is the
plain twin with exactly the same layers and parameters.

~~~ts
import { mlp } from 'tfjs-skip';

const plain = mlp({ inputShape: [28, 28, 1], depth: 4, width: 32 });
plain.countParams(); // => 784 * 32 + 32 + 2 * (32 * 32 + 32) + 32 * 10 + 10
mlp({ inputShape: [28, 28, 1], depth: 4, width: 32, residual: true }).countParams(); // => 27562
~~~
`,
});
