import * as tf from '@tensorflow/tfjs';
import { positiveInteger } from '../../blocks/checks.js';
import { bn, conv, relu } from '../../blocks/conv_bn.js';
import { denseBlock } from '../../blocks/dense_block.js';
import { transition, transitionChannels } from '../../blocks/transition.js';
import { ConfigError } from '../../errors.js';
import { zooDefaults, type ZooArgs } from '../options.js';
import { cifarHead } from '../cifar.js';
import { defineZooModel } from '../zoo_model.js';

export interface DenseNetArgs extends ZooArgs {
  /** Depth `L` (default 40): `3n + 4`, or `6n + 4` with bottlenecks. */
  depth?: number;
  /** Growth rate `k` (default 12). */
  growthRate?: number;
  /** DenseNet-B: 1x1 bottleneck convolutions to `4k` channels (default false). */
  bottleneck?: boolean;
  /** DenseNet-C: transitions keep `floor(θ * channels)` (default 1; 0.5 for DenseNet-BC). */
  compression?: number;
  /** Dropout after each convolution (default 0). */
  dropRate?: number;
}

/**
 * The rule of DenseNet's depth: `3n + 4`, or `6n + 4` with bottlenecks, for
 * a whole `n >= 1`. Returns why `depth` breaks it, or null.
 */
export function denseNetDepthProblem(depth: unknown, bottleneck: boolean): string | null {
  const n = typeof depth === 'number' ? (depth - 4) / (3 * (bottleneck ? 2 : 1)) : NaN;
  if (Number.isInteger(n) && n >= 1) return null;
  const rule = bottleneck ? '6n + 4 with bottleneck (e.g. 100, 250)' : '3n + 4 (e.g. 40, 100)';
  return `depth must be ${rule} for a whole n >= 1, but received ${JSON.stringify(depth)}`;
}

/**
 * DenseNet for CIFAR (Huang et al. 2017, "Densely Connected Convolutional
 * Networks", section 3): a 3x3 conv (16 channels, or `2k` with bottlenecks),
 * three dense blocks of equal size with transitions between them, BN → ReLU,
 * global average pooling and a dense layer to the logits. `depth: 40,
 * growthRate: 12` is the paper's 1.0M DenseNet; `depth: 100, growthRate: 12,
 * bottleneck: true, compression: 0.5` its 0.8M DenseNet-BC.
 */
export function denseNet(args: DenseNetArgs = {}): tf.Sequential {
  const depth = args.depth ?? 40;
  const k = positiveInteger(args.growthRate ?? 12, 'denseNet growthRate');
  const bottleneck = args.bottleneck ?? false;
  const { inputShape, classes } = zooDefaults(args, 'denseNet', 3);
  const problem = denseNetDepthProblem(depth, bottleneck);
  if (problem !== null) throw new ConfigError(`denseNet ${problem}`);
  const n = (depth - 4) / (3 * (bottleneck ? 2 : 1));
  let channels = bottleneck ? 2 * k : 16;
  const layers: tf.layers.Layer[] = [tf.layers.inputLayer({ inputShape }), conv(channels, 3)];
  for (let b = 0; b < 3; b++) {
    layers.push(...denseBlock({ layers: n, growthRate: k, bottleneck, dropRate: args.dropRate ?? 0 }));
    channels += n * k;
    if (b < 2) {
      layers.push(...transition({ channels, compression: args.compression ?? 1, dropRate: args.dropRate ?? 0 }));
      channels = transitionChannels(channels, args.compression ?? 1);
    }
  }
  const name = `densenet${bottleneck || (args.compression ?? 1) < 1 ? '_bc' : ''}${depth}_k${k}`;
  return tf.sequential({ name, layers: [...layers, bn(), relu(), ...cifarHead(classes)] });
}

export default defineZooModel({
  id: 'densenet',
  name: 'DenseNet',
  description: 'DenseNet for CIFAR: three dense blocks of concat SkipConnections with transitions between them',
  source: 'Huang et al. 2017, "Densely Connected Convolutional Networks", section 3 and Table 2',
  builder: denseNet,
  options: {
    depth: {
      description: 'depth L, 3n + 4 (7, 10, 13, 40, 100)',
      default: 40,
      check: (d) => denseNetDepthProblem(d, false),
    },
    growthRate: { description: 'growth rate k', default: 12 },
  },
  sizedBy: 'depth',
  residual: true,
  output: 'classes',
  small: { depth: 10, growthRate: 12, inputShape: [8, 8, 3] },
  docs: `\
### \`denseNet({depth, growthRate, bottleneck, compression})\`

Huang et al. 2017, *Densely Connected Convolutional Networks*, Table 2
(CIFAR).

The network is a 3x3 conv (16 channels, or \`2k\` with bottlenecks), three
equal dense blocks with transitions between them, then BN → ReLU, global
average pooling and a dense layer.

\`depth\` must be \`3n + 4\`, or \`6n + 4\` with \`bottleneck: true\`.
\`dropRate\` adds Dropout after every convolution (the paper uses 0.2 when it
trains without data augmentation).

| model | Table 2 | measured (trainable) | \`countParams()\` |
| --- | --- | --- | --- |
| DenseNet, L=40, k=12 | 1.0M | 1,019,722 | 1,037,818 |
| DenseNet-BC, L=100, k=12 (\`bottleneck: true, compression: 0.5\`) | 0.8M | 769,162 | 793,150 |

~~~ts
import { denseNet } from 'tfjs-skip';

const model = denseNet({ depth: 40, growthRate: 12 });
model.countParams(); // => 1037818
~~~
`,
});
