import * as tf from '@tensorflow/tfjs';
import { positiveInteger } from '../../blocks/checks.js';
import { Highway, type HighwayActivation } from '../../blocks/highway.js';
import { zooDefaults, type ZooArgs } from '../options.js';
import { defineZooModel } from '../zoo_model.js';

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

export default defineZooModel({
  id: 'highway-net',
  name: 'Highway network',
  description: 'A fully connected highway network: gated skips T * H(x) + (1 - T) * x',
  source: 'Srivastava, Greff & Schmidhuber 2015, "Training Very Deep Networks", section 4.1',
  builder: highwayNet,
  options: {
    depth: { description: 'highway layers', default: 10 },
    units: { description: 'width of every highway layer', default: 50 },
  },
  sizedBy: 'depth',
  residual: true,
  output: 'classes',
  small: { depth: 3, units: 8, inputShape: [12] },
  docs: `\
### \`highwayNet({inputShape, units, depth, classes})\`

Srivastava et al. 2015, section 4.1.

The input is flattened, then a dense ReLU layer maps it to \`units\`, then
\`depth\` highway layers follow, then a dense layer to the logits. \`depth\`
counts the highway layers. The defaults are \`units: 50\` (the width of the
paper's MNIST networks), \`depth: 10\`, \`gateBias: -2\` and
\`activation: 'relu'\`. The default CIFAR-shaped model has 205,160
parameters.

~~~ts
import { highwayNet } from 'tfjs-skip';

const model = highwayNet({ inputShape: [784], units: 50, depth: 10, classes: 10 });
model.countParams(); // => 784 * 50 + 50 + 10 * 2 * (50 * 50 + 50) + 50 * 10 + 10
~~~
`,
});
