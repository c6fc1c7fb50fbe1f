import { denseNetDepthProblem, denseNet, type DenseNetArgs } from './densenet.js';
import { defineZooModel } from '../zoo_model.js';

/** DenseNet-BC: {@link denseNet} with bottlenecks and compression 0.5 (Huang et al. 2017, section 3). */
const denseNetBC = (args: DenseNetArgs) => denseNet({ bottleneck: true, compression: 0.5, ...args });

export default defineZooModel({
  id: 'densenet-bc',
  name: 'DenseNet-BC',
  description: 'DenseNet-BC for CIFAR: DenseNet with 1x1 bottlenecks and transitions that halve the channels',
  source: 'Huang et al. 2017, "Densely Connected Convolutional Networks", section 3 and Table 2',
  builder: denseNetBC,
  options: {
    depth: {
      description: 'depth L, 6n + 4 (10, 16, 100, 250)',
      default: 100,
      check: (d) => denseNetDepthProblem(d, true),
    },
    growthRate: { description: 'growth rate k', default: 12 },
  },
  sizedBy: 'depth',
  residual: true,
  output: 'classes',
  small: { depth: 10, growthRate: 4, inputShape: [8, 8, 3] },
  docs: `\
### \`denseNet({depth, growthRate, bottleneck: true, compression: 0.5})\`

DenseNet-BC: \`denseNet\` with 1x1 bottleneck convolutions to \`4k\` channels
before each 3x3 convolution (B) and transitions that keep half the channels
(C). Its depth is \`6n + 4\`; L=100, k=12 is the paper's 0.8M model.

~~~ts
import { denseNet } from 'tfjs-skip';

const bc = denseNet({ depth: 100, growthRate: 12, bottleneck: true, compression: 0.5 });
bc.countParams(); // => 793150
~~~
`,
});
