import * as tf from '@tensorflow/tfjs';
import { SkipConnection } from '../../skip_connection.js';
import { zooDefaults, type ZooArgs } from '../options.js';
import { defineZooModel } from '../zoo_model.js';

const conv = (filters: number, padding: 'valid' | 'same' = 'valid', inputShape?: number[]) =>
  tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding, ...(inputShape && { inputShape }) });

/**
 * The toy ResNet for CIFAR-10 of the Keras functional-API guide
 * (https://keras.io/guides/functional_api/, "A toy ResNet model"):
 * conv32 → conv64 → maxpool3 → two residual blocks of two 3x3 convs (64) →
 * conv64 → global average pooling → dense256 → dropout 0.5 → dense(classes),
 * with the two residual additions as SkipConnections. 223,242 parameters for
 * the default `[32, 32, 3]` input and 10 classes; outputs logits.
 */
export function toyResNet(args: ZooArgs = {}): tf.Sequential {
  const { inputShape, classes } = zooDefaults(args, 'toyResNet', 3);
  const residual = () => new SkipConnection({ mainPath: [conv(64, 'same'), conv(64, 'same')] });
  return tf.sequential({
    name: 'toy_resnet',
    layers: [
      conv(32, 'valid', inputShape),
      conv(64),
      tf.layers.maxPooling2d({ poolSize: 3 }),
      residual(),
      residual(),
      conv(64),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 256, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: classes }),
    ],
  });
}

export default defineZooModel({
  id: 'toy-resnet',
  name: 'Toy ResNet',
  description: 'The toy ResNet of the Keras functional-API guide, its two layers.add skips as SkipConnections',
  source: 'The Keras functional-API guide, "A toy ResNet model" (https://keras.io/guides/functional_api/)',
  builder: toyResNet,
  options: {},
  residual: true,
  output: 'classes',
  small: { inputShape: [16, 16, 3] },
  docs: `\
### \`toyResNet()\`

The toy ResNet for CIFAR-10 of the
[Keras functional-API guide](https://keras.io/guides/functional_api/), layer
for layer. It has 223,242 parameters, and every layer's output shape is the
one in the guide's summary. Its two \`layers.add\` residual connections are
SkipConnections.

A test gives \`toyResNet()\` and the guide's functional model the same weights
(\`setWeights(getWeights())\`) and shows that their outputs are identical.

~~~ts
import { toyResNet } from 'tfjs-skip';

const model = toyResNet();
model.countParams(); // => 223242
model.outputShape; // => [null, 10]
~~~
`,
});
