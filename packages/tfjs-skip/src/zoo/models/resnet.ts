import * as tf from '@tensorflow/tfjs';
import { basicBlock } from '../../blocks/basic_block.js';
import type { ShortcutKind } from '../../blocks/shortcut.js';
import { blocksPerStage, CIFAR_DEPTH_OPTION, cifarHead, cifarStem } from '../cifar.js';
import { zooDefaults, type ZooArgs } from '../options.js';
import { defineZooModel } from '../zoo_model.js';

export interface ResNetArgs extends ZooArgs {
  /** `6n + 2` weighted layers: 20, 32, 44, 56 or 110 in the paper's Table 6. */
  depth: number;
  /**
   * The shortcut where a stage doubles the channels and halves the
   * resolution: `'zeroPad'` (default, option A, as in the paper's CIFAR
   * experiments and its Table 6 counts) or `'projection'` (option B).
   */
  shortcut?: ShortcutKind;
  /** Start every block's last BatchNorm gamma at 0 (Goyal et al. 2017); default false. */
  zeroInitLastGamma?: boolean;
}

/**
 * The CIFAR-10 ResNet of He et al. 2016 ("Deep Residual Learning for Image
 * Recognition", section 4.2): a 3x3 conv (16), three stages of `n` basic
 * blocks with 16, 32 and 64 channels (the first block of stages 2 and 3 has
 * stride 2), global average pooling and a dense layer: `6n + 2` weighted
 * layers. Outputs logits.
 */
export function resNet(args: ResNetArgs): tf.Sequential {
  const n = blocksPerStage(args?.depth, 'resnet');
  const { inputShape, classes } = zooDefaults(args, 'resnet', 3);
  const blocks = [16, 32, 64].flatMap((filters, stage) =>
    Array.from({ length: n }, (_, i) =>
      basicBlock({
        filters,
        strides: stage > 0 && i === 0 ? 2 : 1,
        shortcut: args.shortcut ?? 'zeroPad',
        zeroInitLastGamma: args.zeroInitLastGamma ?? false,
      }),
    ).flat(),
  );
  return tf.sequential({
    name: `resnet${args.depth}`,
    layers: [...cifarStem(inputShape), ...blocks, ...cifarHead(classes)],
  });
}

export default defineZooModel({
  id: 'resnet',
  name: 'ResNet',
  description: 'The CIFAR ResNet: 6n + 2 layers in three stages of basic blocks (16, 32, 64 channels)',
  source: 'He et al. 2016, "Deep Residual Learning for Image Recognition", section 4.2 and Table 6',
  builder: resNet,
  options: { depth: CIFAR_DEPTH_OPTION },
  sizedBy: 'depth',
  twin: 'plain',
  residual: true,
  output: 'classes',
  small: { depth: 8, inputShape: [8, 8, 3] },
  docs: `\
### \`resNet({depth, shortcut?, zeroInitLastGamma?})\`

He et al. 2016, *Deep Residual Learning for Image Recognition*, section 4.2
(CIFAR-10).

The network is a 3x3 conv with 16 channels, then three stages of \`n\` basic
blocks with 16, 32 and 64 channels, then global average pooling and a dense
layer: \`6n + 2\` weighted layers in all. The first block of stages 2 and 3
has stride 2.

The shortcuts use option A (\`'zeroPad'\`), as in the paper's CIFAR
experiments, so they add no parameters. \`plainNet\` has the same layers
without the skips, and therefore the same parameter count. Depths other
than \`6n + 2\` are rejected with a message that lists 20, 32, 44, 56 and 110.

| depth | Table 6 | measured (trainable) | \`countParams()\` |
| --- | --- | --- | --- |
| 20 | 0.27M | 269,722 | 271,098 |
| 32 | 0.46M | 464,154 | 466,426 |
| 44 | 0.66M | 658,586 | 661,754 |
| 56 | 0.85M | 853,018 | 857,082 |
| 110 | 1.7M | 1,727,962 | 1,736,058 |

With \`shortcut: 'projection'\` (option B), ResNet-20 has 272,474 trainable
parameters: it adds two 1x1 conv + BN projections.

~~~ts
import { resNet } from 'tfjs-skip';

const model = resNet({ depth: 20 });
model.countParams(); // => 271098
~~~
`,
});
