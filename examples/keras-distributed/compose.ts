/**
 * Step 1 of the distributed example: compose ResNet-20 (He et al. 2016) in
 * TF.js from the tfjs-skip zoo and write it as a Keras 3 `.keras` file.
 *
 *   node --import tsx examples/keras-distributed/compose.ts OUT.keras [DEPTH]
 */
import * as tf from '@tensorflow/tfjs';
import { resNet } from 'tfjs-skip';
import { kerasFile } from 'tfjs-skip/node';

const [out, depth = '20'] = process.argv.slice(2);
if (out === undefined || !out.endsWith('.keras')) {
  console.error(`usage: compose.ts OUT.keras [DEPTH]; received ${JSON.stringify(process.argv.slice(2))}`);
  process.exit(2);
}
await tf.setBackend('cpu');
const model = resNet({ depth: Number(depth), inputShape: [28, 28, 1], classes: 10 });
await model.save(kerasFile(out));
console.log(JSON.stringify({ wrote: out, model: model.name, params: model.countParams() }));
model.dispose();
