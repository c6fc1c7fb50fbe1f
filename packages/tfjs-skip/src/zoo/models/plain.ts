import * as tf from '@tensorflow/tfjs';
import { bn, conv, relu } from '../../blocks/conv_bn.js';
import { zooDefaults, type ZooArgs } from '../options.js';
import { blocksPerStage, CIFAR_DEPTH_OPTION, cifarHead, cifarStem } from '../cifar.js';
import { defineZooModel } from '../zoo_model.js';

export interface PlainNetArgs extends ZooArgs {
  /** `6n + 2` weighted layers, as for {@link resNet}. */
  depth: number;
}

/**
 * The plain counterpart of the CIFAR {@link resNet} (He et al. 2016, section
 * 4.2): the same convolutions, BatchNorms and ReLUs, without shortcuts. With
 * the ResNet's parameter-free option A shortcuts both have the same number
 * of parameters.
 */
export function plainNet(args: PlainNetArgs): tf.Sequential {
  const n = blocksPerStage(args?.depth, 'plainNet');
  const { inputShape, classes } = zooDefaults(args, 'plainNet', 3);
  const layers = [16, 32, 64].flatMap((filters, stage) =>
    Array.from({ length: n }, (_, i) => [
      conv(filters, 3, stage > 0 && i === 0 ? 2 : 1),
      bn(),
      relu(),
      conv(filters, 3),
      bn(),
      relu(),
    ]).flat(),
  );
  return tf.sequential({
    name: `plain${args.depth}`,
    layers: [...cifarStem(inputShape), ...layers, ...cifarHead(classes)],
  });
}

export default defineZooModel({
  id: 'plain',
  name: 'Plain net',
  description: 'The CIFAR ResNet without its shortcuts: the plain net of the degradation experiment',
  source: 'He et al. 2016, "Deep Residual Learning for Image Recognition", section 4.2 and Figure 6',
  builder: plainNet,
  options: { depth: CIFAR_DEPTH_OPTION },
  sizedBy: 'depth',
  twin: 'resnet',
  residual: false,
  output: 'classes',
  small: { depth: 8, inputShape: [8, 8, 3] },
  docs: `\
### \`plainNet({depth})\`

The same convolutions, BatchNorms and ReLUs as \`resNet({depth})\`, without
the shortcuts: the plain network of He et al. 2016's degradation experiment
(Figure 6), where the deeper plain net trains worse than the shallower one.
With the ResNet's parameter-free option A shortcuts, the twins have the same
parameter count.

~~~ts
import { plainNet, resNet } from 'tfjs-skip';

plainNet({ depth: 20 }).countParams(); // => 271098
resNet({ depth: 20 }).countParams() === plainNet({ depth: 20 }).countParams(); // => true
~~~
`,
});
