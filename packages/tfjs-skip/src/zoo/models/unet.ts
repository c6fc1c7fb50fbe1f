import * as tf from '@tensorflow/tfjs';
import { positiveInteger } from '../../blocks/checks.js';
import { ConfigError } from '../../errors.js';
import { formatShape } from '../../shapes.js';
import { SkipConnection } from '../../skip_connection.js';
import { zooDefaults, type ZooArgs } from '../options.js';
import { defineZooModel } from '../zoo_model.js';

export interface UNetArgs extends ZooArgs {
  /** Channels of the first level; each level down doubles them (default 16; 64 in the paper). */
  filters?: number;
  /** Number of 2x2 down-samplings (default 3; 4 in the paper). Height and width must divide by `2^depth`. */
  depth?: number;
}

const conv3 = (filters: number) =>
  tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heNormal' });

/** One level: two convs, then (above the bottom) a concat skip around everything below, then two convs. */
function level(filters: number, remaining: number): tf.layers.Layer[] {
  if (remaining === 0) return [conv3(filters), conv3(filters)];
  const below = new SkipConnection({
    mainPath: [
      tf.layers.maxPooling2d({ poolSize: 2 }),
      ...level(2 * filters, remaining - 1),
      tf.layers.conv2dTranspose({ filters, kernelSize: 2, strides: 2, padding: 'same' }),
    ],
    how: 'concat',
  });
  return [conv3(filters), conv3(filters), below, conv3(filters), conv3(filters)];
}

/**
 * U-Net (Ronneberger, Fischer & Brox 2015, "U-Net: Convolutional Networks
 * for Biomedical Image Segmentation"): at each level two 3x3 convs, a 2x2 max
 * pool down to the next level and a 2x2 up-convolution back, whose output is
 * concatenated with the level's features by a SkipConnection; the long skips
 * are nested, one inside the other. Convolutions are `'same'`-padded, so the
 * output keeps the input's height and width: per-pixel logits for `classes`.
 */
export function uNet(args: UNetArgs = {}): tf.Sequential {
  const { inputShape, classes } = zooDefaults(args, 'unet', 3);
  const filters = positiveInteger(args.filters ?? 16, 'unet filters');
  const depth = positiveInteger(args.depth ?? 3, 'unet depth');
  const step = 2 ** depth;
  if (inputShape[0] % step !== 0 || inputShape[1] % step !== 0) {
    throw new ConfigError(
      `unet with depth ${depth} needs height and width divisible by ${step}, but received inputShape ` +
        `${formatShape(inputShape)}`,
    );
  }
  return tf.sequential({
    name: 'unet',
    layers: [
      tf.layers.inputLayer({ inputShape }),
      ...level(filters, depth),
      tf.layers.conv2d({ filters: classes, kernelSize: 1 }),
    ],
  });
}

export default defineZooModel({
  id: 'unet',
  name: 'U-Net',
  description: 'U-Net: nested concat SkipConnections from each level down to its mirror level up; per-pixel logits',
  source: 'Ronneberger, Fischer & Brox 2015, "U-Net: Convolutional Networks for Biomedical Image Segmentation"',
  builder: uNet,
  options: {
    depth: { description: 'down-samplings (height and width must divide by 2^depth)', default: 3 },
    filters: { description: 'filters of the first level', default: 16 },
  },
  sizedBy: 'depth',
  residual: true,
  output: 'pixels',
  small: { depth: 2, filters: 4, inputShape: [16, 16, 3] },
  docs: `\
### \`uNet({inputShape, classes, filters, depth})\`

Ronneberger, Fischer & Brox 2015, *U-Net: Convolutional Networks for
Biomedical Image Segmentation*.

Each level has two 3x3 convs, then a 2x2 max pool down to the next level and
a 2x2 up-convolution back up. A concat SkipConnection joins the up-convolution's
output to the level's features. The long skips are nested: each level's
SkipConnection sits inside the \`mainPath\` of the level above.

The convolutions use \`'same'\` padding, so the output keeps the input's
height and width, and the model outputs per-pixel logits. The defaults are
\`filters: 16\` (the paper uses 64) and \`depth: 3\` (the paper uses 4). Height
and width must be divisible by \`2^depth\`. The default model has 482,186
parameters.

~~~ts
import { uNet } from 'tfjs-skip';

const model = uNet({ inputShape: [64, 64, 1], classes: 2, filters: 8, depth: 4 });
model.outputShape; // => [null, 64, 64, 2]
~~~
`,
});
