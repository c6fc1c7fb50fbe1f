/**
 * Builds a residual MLP with SkipConnection inside tf.sequential, trains it on
 * the Fashion-MNIST sample shipped in this repository, evaluates it on the
 * sample's test split and saves it to out/residual-mlp with fileSystem().
 *
 *   npm start            (after npm ci)
 */
import * as tf from '@tensorflow/tfjs';
import { skipConnection, summary } from 'tfjs-skip';
import { fileSystem } from 'tfjs-skip/node';
import { setupBackend } from 'tfjs-skip-backends';
import { loadSample, toBatch } from 'tfjs-skip-data/node';

// The fastest backend that trains here: onednn where tfjs-skip-onednn's addon is built, else wasm, else cpu.
const backend = await setupBackend();
console.log(backend.reason);

const width = 128;
const residualBlock = () =>
  skipConnection({
    mainPath: [
      tf.layers.dense({ units: width, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.1 }),
      tf.layers.dense({ units: width }),
    ],
  });

const model = tf.sequential({
  name: 'residual_mlp',
  layers: [
    tf.layers.flatten({ inputShape: [28, 28, 1] }),
    tf.layers.dense({ units: width, activation: 'relu' }),
    residualBlock(),
    tf.layers.reLU(),
    residualBlock(),
    tf.layers.reLU(),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
summary(model, { expandNested: true });

const data = await loadSample();
const all = (n: number) => Array.from({ length: n }, (_, i) => i);
const train = toBatch(data.train, all(data.train.count));
const test = toBatch(data.test, all(data.test.count));

model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const started = Date.now();
await model.fit(train.xs, tf.oneHot(train.ys, 10), {
  epochs: 4,
  batchSize: 64,
  shuffle: true,
  verbose: 0,
  callbacks: { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1}: loss ${logs?.['loss']?.toFixed(4)}`) },
});
const probabilities = model.predict(test.xs) as tf.Tensor;
const accuracy = tf.tidy(() => tf.mean(tf.equal(tf.argMax(probabilities, -1), test.ys)).dataSync()[0]);
console.log(
  `test accuracy ${accuracy.toFixed(3)} on ${data.test.count} images after ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s`,
);
await model.save(fileSystem('out/residual-mlp'));
console.log('saved out/residual-mlp/model.json');
