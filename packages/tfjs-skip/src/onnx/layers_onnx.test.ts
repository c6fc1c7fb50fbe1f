import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { basicBlock } from '../blocks/basic_block.js';
import { batchNormalization } from '../blocks/batch_norm.js';
import { dropPath } from '../blocks/drop_path.js';
import { highway, HIGHWAY_ACTIVATIONS } from '../blocks/highway.js';
import { layerScale, reZero } from '../blocks/layer_scale.js';
import { shortcut } from '../blocks/shortcut.js';
import { MERGE_NAMES } from '../merges.js';
import { SkipConnection } from '../skip_connection.js';
import { ONNX_ACTIVATIONS } from './handlers/activations.js';
import { expectSamePredictions, randomizeWeights, runOnnx, seededInput } from './ort.test_support.js';
import { ONNX_LAYER_CLASSES } from './registry.js';
import { toOnnx } from './to_onnx.js';

type Layers = () => tf.layers.Layer[];
const L = tf.layers;
const conv = (filters: number, kernelSize = 3, extra: Record<string, unknown> = {}) =>
  L.conv2d({ filters, kernelSize, padding: 'same', ...extra });
const image = [7, 7, 3];

/**
 * One small model per case: `[name, input shape without the batch, layers]`.
 * Odd sizes on purpose: TF's 'same' padding puts the odd pixel at the end,
 * and a kernel over an odd input is where a wrong rule shows.
 */
const SEQUENTIAL_CASES: [string, number[], Layers][] = [
  ...MERGE_NAMES.map((how): [string, number[], Layers] => [
    `SkipConnection how: '${how}'`,
    image,
    () => [new SkipConnection({ mainPath: [conv(3), batchNormalization(), L.reLU()], how })],
  ]),
  [
    'SkipConnection with a skipPath, on vectors',
    [5],
    () => [
      new SkipConnection({ mainPath: [L.dense({ units: 4, activation: 'tanh' })], skipPath: L.dense({ units: 4 }) }),
    ],
  ],
  [
    'nested SkipConnections (U-Net style concat around an add)',
    [8, 8, 2],
    () => [
      new SkipConnection({
        how: 'concat',
        mainPath: [
          L.maxPooling2d({ poolSize: 2 }),
          new SkipConnection({ mainPath: [conv(2), L.reLU()] }),
          L.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 2 }),
        ],
      }),
    ],
  ],
  [
    'basicBlock, zeroPad shortcut, stride 2',
    image,
    () => [conv(3), ...basicBlock({ filters: 6, strides: 2, shortcut: 'zeroPad' })],
  ],
  ['basicBlock, projection shortcut, stride 2', image, () => [...basicBlock({ filters: 4, strides: 2 })]],
  [
    'pre-activation basicBlock with drop-path (the identity at inference)',
    image,
    () => [...basicBlock({ filters: 4, strides: 2, preActivation: true, dropPathRate: 0.3 })],
  ],
  ['Shortcut alone, identity', image, () => [shortcut({ filters: 3 })]],
  [
    'DropPath on a residual branch',
    [6],
    () => [new SkipConnection({ mainPath: [L.dense({ units: 6 }), dropPath({ rate: 0.5 })] })],
  ],
  ...HIGHWAY_ACTIVATIONS.map((activation): [string, number[], Layers] => [
    `Highway, ${activation}`,
    [6],
    () => [highway({ activation })],
  ]),
  ['Highway on a sequence', [4, 6], () => [highway({ activation: 'tanh' })]],
  ['LayerScale per channel after a conv (channelsFirst)', image, () => [conv(3), layerScale({ initValue: 0.5 })]],
  ['LayerScale per channel on vectors', [5], () => [layerScale({ initValue: 0.5 })]],
  ['ReZero (one scalar) after a conv', image, () => [conv(3), reZero()]],
  ...ONNX_ACTIVATIONS.map((activation): [string, number[], Layers] => [
    `Dense with activation '${activation}'`,
    [5],
    () => [L.dense({ units: 4, activation: activation as 'relu' })],
  ]),
  ['Conv2D activation softmax (the channels axis in NCHW)', image, () => [conv(4, 3, { activation: 'softmax' })]],
  ['Activation softmax after a conv', image, () => [conv(4), L.activation({ activation: 'softmax' })]],
  ['Dense on a sequence (MatMul)', [3, 5], () => [L.dense({ units: 4, activation: 'relu' })]],
  [
    'Conv2D valid, stride 2, bias, relu',
    image,
    () => [L.conv2d({ filters: 4, kernelSize: 3, strides: 2, activation: 'relu' })],
  ],
  ['Conv2D same, stride 2, no bias', image, () => [conv(4, 3, { strides: 2, useBias: false })]],
  ['Conv2D same, dilation 2, 1x3 kernel', image, () => [conv(4, [1, 3] as unknown as number, { dilationRate: 2 })]],
  [
    'DepthwiseConv2D, multiplier 2, same, stride 2',
    image,
    () => [L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' })],
  ],
  [
    'SeparableConv2D',
    image,
    () => [L.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu' })],
  ],
  [
    'Conv2DTranspose same, stride 2, 3x3',
    image,
    () => [L.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' })],
  ],
  ['Conv2DTranspose valid, stride 2, 3x3', image, () => [L.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2 })]],
  [
    'Conv2DTranspose valid, kernel 1 < stride 2',
    image,
    () => [L.conv2dTranspose({ filters: 2, kernelSize: 1, strides: 2 })],
  ],
  ['Conv1D valid', [9, 3], () => [L.conv1d({ filters: 4, kernelSize: 3 })]],
  ['Conv1D same, stride 2', [9, 3], () => [L.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' })]],
  [
    'Conv1D same, dilation 2',
    [9, 3],
    () => [L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', dilationRate: 2 })],
  ],
  ['Conv3D same, stride 2', [5, 5, 4, 2], () => [L.conv3d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' })]],
  [
    'MaxPooling3D, AveragePooling3D same',
    [5, 5, 4, 2],
    () => [L.maxPooling3d({ poolSize: 2 }), L.averagePooling3d({ poolSize: [2, 2, 1], padding: 'same' })],
  ],
  [
    'MaxPooling1D, AveragePooling1D same',
    [9, 3],
    () => [L.maxPooling1d({ poolSize: 2 }), L.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' })],
  ],
  ['GlobalAveragePooling1D', [9, 3], () => [L.conv1d({ filters: 4, kernelSize: 3 }), L.globalAveragePooling1d()]],
  ['GlobalMaxPooling1D', [9, 3], () => [L.globalMaxPooling1d()]],
  ['MaxPooling2D same, odd input', image, () => [L.maxPooling2d({ poolSize: 2, padding: 'same' })]],
  [
    'AveragePooling2D same, 3x3 stride 2 (the padding is not counted)',
    image,
    () => [L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' })],
  ],
  ['AveragePooling2D valid', image, () => [conv(3), L.averagePooling2d({ poolSize: 2 })]],
  ['GlobalAveragePooling2D after a conv', image, () => [conv(4), L.globalAveragePooling2d({})]],
  ['GlobalMaxPooling2D on the input (NHWC)', image, () => [L.globalMaxPooling2d({})]],
  [
    'ZeroPadding2D after a conv',
    image,
    () => [
      conv(2),
      L.zeroPadding2d({
        padding: [
          [1, 2],
          [0, 3],
        ],
      }),
    ],
  ],
  [
    'Cropping2D',
    image,
    () => [
      L.cropping2D({
        cropping: [
          [1, 0],
          [2, 1],
        ],
      }),
    ],
  ],
  ['UpSampling2D nearest', image, () => [conv(2), L.upSampling2d({ size: [2, 3] })]],
  ['UpSampling2D bilinear', image, () => [L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' })]],
  ['Flatten after a conv (back to NHWC order)', image, () => [conv(2), L.flatten(), L.dense({ units: 3 })]],
  ['Reshape', image, () => [conv(2), L.reshape({ targetShape: [49, 2] })]],
  ['Permute', [3, 4, 5], () => [L.permute({ dims: [3, 1, 2] })]],
  ['RepeatVector', [4], () => [L.repeatVector({ n: 3 })]],
  ['BatchNormalization on vectors', [5], () => [L.dense({ units: 4 }), batchNormalization()]],
  [
    'BatchNormalization without center or scale',
    image,
    () => [conv(3), batchNormalization({ center: false, scale: false })],
  ],
  ['tfjs-layers BatchNormalization, epsilon 0.01', image, () => [L.batchNormalization({ epsilon: 0.01 })]],
  ['LayerNormalization on vectors', [6], () => [L.layerNormalization({})]],
  ['LayerNormalization on a conv output', image, () => [conv(4), L.layerNormalization({})]],
  ['ReLU with maxValue', image, () => [conv(3), L.reLU({ maxValue: 0.5 })]],
  ['LeakyReLU', image, () => [conv(3), L.leakyReLU({ alpha: 0.2 })]],
  ['ELU', [5], () => [L.elu({})]],
  ['ThresholdedReLU', [5], () => [L.thresholdedReLU({ theta: 0.2 })]],
  ['PReLU after a conv', image, () => [conv(3), L.prelu({})]],
  [
    'Softmax after a Conv1D (the channels axis in NCW)',
    [5, 3],
    () => [L.conv1d({ filters: 4, kernelSize: 1 }), L.softmax({ axis: -1 })],
  ],
  ['Rescaling', [5], () => [L.rescaling({ scale: 0.5, offset: -1 })]],
  [
    'Dropout, SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout (the identity at inference)',
    [4, 5],
    () => [
      L.dropout({ rate: 0.5 }),
      L.spatialDropout1d({ rate: 0.5 }),
      L.gaussianNoise({ stddev: 1 }),
      L.gaussianDropout({ rate: 0.5 }),
      L.alphaDropout({ rate: 0.5 }),
      L.dense({ units: 2 }),
    ],
  ],
];

function sequential(inputShape: number[], layers: tf.layers.Layer[]): tf.LayersModel {
  return tf.sequential({ layers: [L.inputLayer({ inputShape }), ...layers] });
}

/** Exports `model`, runs it in ONNX Runtime on seeded inputs, and checks every output against TF.js. */
async function expectOnnxMatches(
  model: tf.LayersModel,
  layout: 'channelsLast' | 'channelsFirst' = 'channelsLast',
  inputs = model.inputs.map((t, i) => seededInput([2, ...(t.shape.slice(1) as number[])], 10 + i)),
) {
  randomizeWeights(model);
  const expected = [model.predict(inputs)].flat() as tf.Tensor[];
  const nchw = (t: tf.Tensor) =>
    layout === 'channelsFirst' && t.rank >= 3
      ? tf.transpose(t, [0, t.rank - 1, ...Array.from({ length: t.rank - 2 }, (_, i) => i + 1)])
      : t;
  const got = await runOnnx(await toOnnx(model, { layout }), inputs.map(nchw));
  expect(got).toHaveLength(expected.length);
  got.forEach((g, i) => expectSamePredictions(g, nchw(expected[i]!)));
  tf.dispose([inputs, expected, got]);
  model.dispose();
}

describe('each layer in ONNX Runtime, against TF.js', () => {
  it.each(SEQUENTIAL_CASES)('%s', async (_name, inputShape, layers) => {
    await expectOnnxMatches(sequential(inputShape, layers()));
  });

  it('Embedding, on indices', async () => {
    const model = sequential([4], [L.embedding({ inputDim: 5, outputDim: 3 })]);
    await expectOnnxMatches(model, 'channelsLast', [
      tf.tensor2d([
        [0, 1, 4, 2],
        [3, 3, 0, 1],
      ]),
    ]);
  });

  it('Masking, on steps that are all the mask value and steps that are not', async () => {
    const model = sequential([3, 2], [L.masking({ maskValue: 0.25 }), L.dense({ units: 2 })]);
    const x = tf.tensor3d([
      [
        [0.25, 0.25],
        [0.25, 1],
        [-1, 2],
      ],
      [
        [3, 0.25],
        [0.25, 0.25],
        [0.5, 0.5],
      ],
    ]);
    await expectOnnxMatches(model, 'channelsLast', [x]);
  });

  it('a SkipConnection whose mainPath is a built tf.LayersModel', async () => {
    const inner = tf.sequential({
      layers: [L.dense({ units: 8, inputShape: [5], activation: 'relu' }), L.dense({ units: 5 })],
    });
    await expectOnnxMatches(sequential([5], [new SkipConnection({ mainPath: inner })]));
  });

  it('a functional model: two inputs, a shared layer, merges, two outputs, a nested Sequential', async () => {
    const a = tf.input({ shape: [6, 6, 2], name: 'image' });
    const b = tf.input({ shape: [4], name: 'vector' });
    const shared = L.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'shared_conv' });
    const twice = shared.apply(shared.apply(a)) as tf.SymbolicTensor;
    const merged = L.add().apply([a, twice]) as tf.SymbolicTensor;
    const pooled = L.globalAveragePooling2d({}).apply(merged) as tf.SymbolicTensor;
    const head = tf.sequential({
      layers: [L.dense({ units: 4, inputShape: [4], activation: 'relu' }), L.dense({ units: 3 })],
    });
    const joined = L.concatenate().apply([pooled, head.apply(b) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const logits = L.dense({ units: 3, name: 'logits' }).apply(joined) as tf.SymbolicTensor;
    const other = L.dense({ units: 2 }).apply(pooled) as tf.SymbolicTensor;
    const merge = (layer: tf.layers.Layer) => layer.apply([pooled, other]) as tf.SymbolicTensor;
    const products = L.multiply().apply([
      merge(L.maximum()),
      L.average().apply([merge(L.minimum()), merge(L.add())]) as tf.SymbolicTensor,
    ]) as tf.SymbolicTensor;
    await expectOnnxMatches(tf.model({ inputs: [a, b], outputs: [logits, merged, products] }));
  });

  it('a whole model channelsFirst: NCHW in and out', async () => {
    await expectOnnxMatches(
      sequential(image, [conv(3), L.upSampling2d({ size: [2, 2] }), L.zeroPadding2d({ padding: 1 })]),
      'channelsFirst',
    );
  });

  it('has a case for every layer class in the table', () => {
    const covered = new Set<string>();
    const visit = (layer: tf.layers.Layer) => {
      covered.add(layer.getClassName());
      if (layer instanceof SkipConnection) layer.pathLayers.forEach(visit);
      if (layer instanceof tf.LayersModel) layer.layers.forEach(visit);
    };
    SEQUENTIAL_CASES.forEach(([, , layers]) => layers().forEach(visit));
    [
      'Add',
      'Concatenate',
      'Multiply',
      'Maximum',
      'Minimum',
      'Average',
      'Sequential',
      'Model',
      'Embedding',
      'Masking',
    ].forEach((c) => covered.add(c));
    expect(ONNX_LAYER_CLASSES.filter((c) => !covered.has(c))).toEqual([]);
  });
});
