import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import './index.js';
import { expectCloseRelative, randomValues, seededRandom, useBackend } from './testing/conv_grads.js';

/**
 * A residual block as ResNet-20 has them, at 16 channels: conv-BN-relu-conv-BN,
 * + input, relu, global average pooling, dense. On wasm its 3x3 convolutions
 * and their gradients run as Winograd, batch norm and its gradient on the
 * SIMD per-channel kernels.
 */
function block(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.heNormal({ seed });
  const input = tf.input({ shape: [8, 8, 16] });
  let y = tf.layers
    .conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(1) })
    .apply(input);
  y = tf.layers.batchNormalization().apply(y);
  y = tf.layers.activation({ activation: 'relu' }).apply(y);
  y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', kernelInitializer: init(2) }).apply(y);
  y = tf.layers.batchNormalization({ gammaInitializer: 'ones' }).apply(y);
  y = tf.layers.add().apply([y as tf.SymbolicTensor, input]);
  y = tf.layers.activation({ activation: 'relu' }).apply(y);
  y = tf.layers.globalAveragePooling2d({}).apply(y);
  const out = tf.layers.dense({ units: 4, kernelInitializer: init(3) }).apply(y) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

async function lossAndGrads(backend: string): Promise<{ loss: number; grads: Float32Array[]; predict: Float32Array }> {
  await useBackend(backend);
  const model = block();
  const random = seededRandom(21);
  const x = tf.tensor4d(randomValues(random, 4 * 8 * 8 * 16), [4, 8, 8, 16]);
  const r = tf.tensor2d(randomValues(random, 16), [4, 4]);
  const { value, grads } = tf.variableGrads(() =>
    (model.apply(x, { training: true }) as tf.Tensor).mul(r).sum<tf.Scalar>(),
  );
  const names = Object.keys(grads).sort();
  const result = {
    loss: (await value.data())[0],
    grads: await Promise.all(names.map(async (n) => (await grads[n].data()) as Float32Array)),
    predict: (await (model.predict(x) as tf.Tensor).data()) as Float32Array,
  };
  tf.dispose([x, r, value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

describe('a BatchNorm residual block on wasm', () => {
  it('has the loss, gradients and inference outputs of cpu', async () => {
    const cpu = await lossAndGrads('cpu');
    const wasm = await lossAndGrads('wasm');
    expectCloseRelative([wasm.loss], [cpu.loss], 1e-5, 'loss');
    const largest = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const overall = Math.max(...cpu.grads.map(largest));
    cpu.grads.forEach((g, i) => {
      // A bias right before batch norm has no effect, so its gradient is 0 up to rounding on both backends.
      if (largest(g) < 1e-6 * overall) expect(largest(wasm.grads[i])).toBeLessThan(1e-6 * overall);
      else expectCloseRelative(wasm.grads[i], g, 1e-4, `gradient ${i}`);
    });
    expectCloseRelative(wasm.predict, cpu.predict, 1e-5, 'inference output');
  });
});
