/**
 * Milliseconds and GFLOP/s (counted as a direct convolution: 2 n oh ow kh kw
 * ci co) of the convolutions of the toy ResNet and ResNet-20 at batch 64 on
 * wasm, forward and both gradients, with this package's SIMD kernels and
 * without them (the backend's XNNPACK Conv2D and the gradients composed from it).
 *
 *   node --import tsx packages/tfjs-wasm-train/scripts/measure_convs.ts [runs]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setSimdKernels } from '../src/index.js';

const runs = Number(process.argv[2] ?? 10);
await tf.setBackend('wasm');

const layers: Array<{
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  pad: 'same' | 'valid';
  stride?: number;
}> = [
  { name: 'toy conv2 32->64 30x30', x: [64, 30, 30, 32], filter: [3, 3, 32, 64], pad: 'valid' },
  { name: 'toy residual 64 9x9', x: [64, 9, 9, 64], filter: [3, 3, 64, 64], pad: 'same' },
  { name: 'ResNet-20 stage 1 16 32x32', x: [64, 32, 32, 16], filter: [3, 3, 16, 16], pad: 'same' },
  { name: 'ResNet-20 stage 2 32 16x16', x: [64, 16, 16, 32], filter: [3, 3, 32, 32], pad: 'same' },
  { name: 'ResNet-20 stage 3 64 8x8', x: [64, 8, 8, 64], filter: [3, 3, 64, 64], pad: 'same' },
  // Winograd does not serve these: the SIMD column is the patch products.
  { name: 'ResNet-20 stem 3->16 32x32', x: [64, 32, 32, 3], filter: [3, 3, 3, 16], pad: 'same' },
  { name: 'ResNet-20 16->32 stride 2', x: [64, 32, 32, 16], filter: [3, 3, 16, 32], pad: 'same', stride: 2 },
  { name: 'ResNet-20 32->64 stride 2', x: [64, 16, 16, 32], filter: [3, 3, 32, 64], pad: 'same', stride: 2 },
];

/** Median milliseconds of `runs` calls after two warm-ups. */
function median(f: () => tf.Tensor): number {
  for (let i = 0; i < 2; i++) f().dispose();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const y = f();
    y.dataSync();
    times.push(performance.now() - t0);
    y.dispose();
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

console.log(`wasm, batch 64, median of ${runs}; GFLOP/s counted as a direct convolution`);
console.log(
  'layer'.padEnd(30),
  'pass'.padEnd(8),
  'SIMD ms'.padStart(9),
  'GFLOP/s'.padStart(8),
  'XNNPACK ms'.padStart(11),
  'GFLOP/s'.padStart(8),
);
for (const layer of layers) {
  const x = tf.randomNormal<tf.Rank.R4>(layer.x);
  const w = tf.randomNormal<tf.Rank.R4>(layer.filter);
  const stride = layer.stride ?? 1;
  const y = tf.conv2d(x, w, stride, layer.pad);
  const dy = tf.randomNormal(y.shape);
  const [, oh, ow] = y.shape;
  const flops = 2 * layer.x[0] * oh * ow * 9 * layer.filter[2] * layer.filter[3];
  const attrs = { strides: stride, pad: layer.pad, dataFormat: 'NHWC' };
  const passes: Array<[string, () => tf.Tensor]> = [
    ['forward', () => tf.conv2d(x, w, stride, layer.pad)],
    [
      'dx',
      () =>
        tf.engine().runKernel<tf.Tensor>('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: layer.x }),
    ],
    [
      'dW',
      () =>
        tf.engine().runKernel<tf.Tensor>('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: layer.filter }),
    ],
  ];
  for (const [pass, f] of passes) {
    setSimdKernels(true);
    const simd = median(f);
    setSimdKernels(false);
    const plain = median(f);
    setSimdKernels(true);
    const rate = (ms: number) => (flops / ms / 1e6).toFixed(0).padStart(8);
    console.log(
      layer.name.padEnd(30),
      pass.padEnd(8),
      simd.toFixed(2).padStart(9),
      rate(simd),
      plain.toFixed(2).padStart(11),
      rate(plain),
    );
  }
  tf.dispose([x, w, y, dy]);
}
