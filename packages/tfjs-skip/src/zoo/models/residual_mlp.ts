import { defineZooModel } from '../zoo_model.js';
import { mlp, MLP_OPTIONS, type MlpArgs } from './mlp.js';

/** The residual twin of {@link mlp}: each block of two dense layers is a SkipConnection. */
const residualMlp = (args: MlpArgs) => mlp({ ...args, residual: true });

export default defineZooModel({
  id: 'residual-mlp',
  name: 'Residual MLP',
  description: 'A deep, narrow MLP whose blocks of two dense layers are SkipConnections, the twin of mlp',
  source: 'He et al. 2016, "Deep Residual Learning for Image Recognition" (the basic block, with dense layers)',
  builder: residualMlp,
  options: MLP_OPTIONS,
  sizedBy: 'depth',
  twin: 'mlp',
  residual: true,
  output: 'classes',
  small: { depth: 4, width: 8, inputShape: [6, 6, 1] },
  docs: `\
### \`mlp({depth, width, residual: true})\`

The residual twin of \`mlp\`: each block \`relu(x + dense(relu(dense(x))))\`.
At depth 32 and 64 on Fashion-MNIST its plain twin stays at chance while it
trains (\`tfjs-skip compare\`).

~~~ts
import { mlp } from 'tfjs-skip';

const model = mlp({ inputShape: [28, 28, 1], depth: 8, width: 32, residual: true });
model.layers.filter((l) => l.getClassName() === 'SkipConnection').length; // => 3
~~~
`,
});
