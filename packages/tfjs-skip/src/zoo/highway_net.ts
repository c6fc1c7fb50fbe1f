import * as tf from '@tensorflow/tfjs';
import { positiveInteger } from '../blocks/checks.js';
import { Highway, type HighwayActivation } from '../blocks/highway.js';
import { zooDefaults, type ZooArgs } from './options.js';

export interface HighwayNetArgs extends ZooArgs {
  /** Width of every highway layer (default 50, as in the paper's MNIST nets). */
  units?: number;
  /** Number of highway layers (default 10). */
  depth?: number;
  /** The transform's activation (default `'relu'`). */
  activation?: HighwayActivation;
  /** Initial transform-gate bias (default -2). */
  gateBias?: number;
}

/**
 * A fully connected highway network (Srivastava, Greff & Schmidhuber 2015,
 * "Training Very Deep Networks", section 4.1): the input flattened, a plain
 * dense layer to `units` (ReLU), `depth` {@link Highway} layers, and a dense
 * layer to the logits.
 */
export function highwayNet(args: HighwayNetArgs = {}): tf.Sequential {
  const { inputShape, classes } = zooDefaults(args, 'highwayNet');
  const units = positiveInteger(args.units ?? 50, 'highwayNet units');
  const depth = positiveInteger(args.depth ?? 10, 'highwayNet depth');
  const gate = { activation: args.activation ?? 'relu', gateBias: args.gateBias ?? -2 };
  return tf.sequential({
    name: `highway${depth}`,
    layers: [
      tf.layers.inputLayer({ inputShape }),
      ...(inputShape.length > 1 ? [tf.layers.flatten()] : []),
      tf.layers.dense({ units, activation: 'relu' }),
      ...Array.from({ length: depth }, () => new Highway(gate)),
      tf.layers.dense({ units: classes }),
    ],
  });
}
