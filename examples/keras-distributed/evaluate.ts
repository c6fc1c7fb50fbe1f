/**
 * Step 3 of the distributed example: read the model Keras trained back into
 * TF.js, evaluate it on the Fashion-MNIST sample's test split, and print its
 * predictions on the first test images (to compare with Keras's own).
 *
 *   node --import tsx examples/keras-distributed/evaluate.ts TRAINED.keras
 */
import * as tf from '@tensorflow/tfjs';
import { loadModel } from 'tfjs-skip';
import { setupBackend } from 'tfjs-skip-backends';
import { kerasFile } from 'tfjs-skip/node';
import { loadSample, toBatch } from 'tfjs-skip-data/node';

const [file] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: evaluate.ts TRAINED.keras');
  process.exit(2);
}
const backend = await setupBackend({ prefer: ['wasm', 'cpu'], forTraining: false });
const model = await loadModel(kerasFile(file));
const { test } = await loadSample();
const batch = toBatch(
  test,
  Array.from({ length: test.count }, (_, i) => i),
);
const started = performance.now();
const logits = model.predict(batch.xs) as tf.Tensor2D;
const accuracy = tf.tidy(() => tf.mean(tf.equal(tf.argMax(logits, -1), batch.ys)).dataSync()[0]);
const seconds = (performance.now() - started) / 1000;
const first = tf.tidy(() => logits.slice([0, 0], [16, -1]).arraySync());
console.log(
  JSON.stringify({
    model: file,
    backend: backend.name,
    testAccuracy: accuracy,
    examples: test.count,
    inferenceSeconds: seconds,
    predictions: first,
  }),
);
tf.dispose([logits, batch.xs, batch.ys]);
model.dispose();
