/**
 * Soak: thousands of training steps of a small residual model keep
 * `tf.memory().numTensors` exactly flat and the heap flat within a
 * tolerance, measured after full garbage collections (V8's `gc`, exposed at
 * run time). `SOAK_STEPS` runs longer (`npm run fuzz -w tfjs-skip`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { skipConnection } from './index.js';

const STEPS = Number(process.env['SOAK_STEPS'] ?? 0) || 3000;
const WARMUP = 200;
/** Heap growth allowed between the end of warm-up and the last step. */
const HEAP_TOLERANCE_BYTES = 4 * 2 ** 20; // measured: 0.8 MiB over 2,800 steps

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('soak', () => {
  it(`${STEPS} train steps of a residual model: tensors and heap flat`, async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 16, inputShape: [8], activation: 'relu' }),
        skipConnection({
          mainPath: [
            tf.layers.dense({ units: 16, activation: 'relu' }),
            tf.layers.dropout({ rate: 0.1 }),
            tf.layers.dense({ units: 16 }),
            tf.layers.batchNormalization(),
          ],
        }),
        skipConnection({ how: 'concat', mainPath: [tf.layers.dense({ units: 8, activation: 'tanh' })] }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
    const x = tf.randomNormal([32, 8], 0, 1, 'float32', 1);
    const y = tf.tidy(() => x.sum(1, true).tanh());

    let tensorsAfterWarmup = 0;
    let heapAfterWarmup = 0;
    let firstLoss = 0;
    let lastLoss = 0;
    const started = Date.now();
    for (let step = 1; step <= STEPS; step++) {
      const loss = (await model.trainOnBatch(x, y)) as number;
      if (step === 1) firstLoss = loss;
      lastLoss = loss;
      if (step === WARMUP) {
        tensorsAfterWarmup = tf.memory().numTensors;
        heapAfterWarmup = heapUsed();
      }
      if (step > WARMUP && step % 500 === 0) {
        expect(tf.memory().numTensors, `step ${step}`).toBe(tensorsAfterWarmup);
        if (process.env['SOAK_TRACE'])
          console.log(`step ${step}: heap ${((heapUsed() - heapAfterWarmup) / 2 ** 20).toFixed(2)} MiB over warm-up`);
      }
    }
    const heapGrowth = heapUsed() - heapAfterWarmup;
    console.log(
      `soak: ${STEPS} steps in ${Date.now() - started} ms, loss ${firstLoss.toFixed(4)} → ${lastLoss.toFixed(4)}, ` +
        `tensors ${tensorsAfterWarmup} → ${tf.memory().numTensors}, ` +
        `heap growth ${(heapGrowth / 2 ** 20).toFixed(1)} MiB`,
    );

    expect(tf.memory().numTensors).toBe(tensorsAfterWarmup);
    expect(heapGrowth).toBeLessThan(HEAP_TOLERANCE_BYTES);
    expect(lastLoss).toBeLessThan(firstLoss); // it trained, not idled
    tf.dispose([x, y]);
    model.optimizer.dispose();
    model.dispose();
  });
});
