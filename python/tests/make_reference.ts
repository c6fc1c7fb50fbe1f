/**
 * Writes python/tests/data/reference.json: what the TF.js layers of tfjs-skip
 * compute, for python/tests/test_against_tfjs.py to compare the Keras classes
 * against. Run from the repository root after `npm ci`:
 *
 *   node --import tsx python/tests/make_reference.ts [OUT.json]
 *
 * Every case is a small tf.sequential model with seeded weights and input. It
 * records, per layer, the weights in the layer's own `getWeights()` order
 * (with their TF.js names), the layer's config as TF.js writes it into
 * model.json (snake_case keys and values), the inference output, the training
 * output, and for some cases the weights after one SGD step on a mean squared
 * error, so the Python side checks forward pass, weight order, config keys
 * and gradients against the same numbers. It also records the names the
 * TS side registers (its layer classes, its merge names), which the Python
 * package must match.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

// The classes tfjs-skip adds to the TF.js serialization registry: the
// registry's keys before and after importing the package (every tfjs-skip
// import comes after the first snapshot: any of them registers the layers).
const registry = () => Object.keys(tf.serialization.SerializationMap.getMap().classNameMap);
const before = new Set(registry());
const { SkipConnection, Shortcut, Highway, DropPath, LayerScale, MERGE_NAMES } = await import('tfjs-skip');
// The Keras bridge's table (a module with no imports, read from source: the package does not export it).
const { LAYER_TABLE } = await import('../../packages/tfjs-skip/src/keras/layer_table.js');
// The classes tfjs-skip registers that the Python package mirrors: its own layers (`custom` in the Keras
// bridge's table), not its TF.js versions of Keras's own layers (Normalization, keras.applications' layers).
const mirrored = new Set(LAYER_TABLE.filter((entry) => entry.custom === true).map((entry) => entry.tfjs));
const registeredClasses = registry()
  .filter((name) => !before.has(name) && mirrored.has(name))
  .sort();
const { fileSystem } = await import('tfjs-skip/node');

type Arr = { shape: number[]; data: number[] };
const arr = (t: tf.Tensor): Arr => ({ shape: t.shape, data: Array.from(t.dataSync()) });

let seed = 1;
/** Seeded values for a weight: positive for a moving variance, N(0, 0.5) otherwise. */
function valueFor(w: tf.LayerVariable): tf.Tensor {
  seed += 1;
  const shape = w.shape as number[]; // a weight's shape is fully known
  return w.name.endsWith('moving_variance') ? tf.randomUniform(shape, 0.5, 1.5, 'float32', seed) : tf.randomNormal(shape, 0, 0.5, 'float32', seed);
}

interface Case {
  name: string;
  layers: () => tf.layers.Layer[];
  inputShape: number[]; // with the batch size
  /** Record the weights after one SGD step (lr 0.1) on MSE against a seeded target. */
  trainStep?: boolean;
}

const dense = (units: number, extra: Partial<Parameters<typeof tf.layers.dense>[0]> = {}) => tf.layers.dense({ units, ...extra });
const conv = (filters: number, kernelSize: number, strides = 1) => tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same' });

const cases: Case[] = [
  {
    name: 'documented_add',
    inputShape: [3, 50],
    layers: () => [dense(30, { inputShape: [50] }), new SkipConnection({ mainPath: tf.sequential({ layers: [dense(15, { inputShape: [30] }), dense(30)] }) })],
  },
  {
    name: 'documented_concat',
    inputShape: [3, 50],
    layers: () => [dense(30, { inputShape: [50] }), new SkipConnection({ mainPath: tf.sequential({ layers: [dense(15, { inputShape: [30] }), dense(30)] }), how: 'concat' })],
  },
  ...MERGE_NAMES.map((how) => ({
    name: `merge_${how}`,
    inputShape: [4, 3],
    trainStep: true,
    layers: () => [new SkipConnection({ inputShape: [3], mainPath: [dense(5, { activation: 'relu' }), dense(4)], skipPath: dense(4, { useBias: false }), how })],
  })),
  ...(['relu', 'tanh', 'sigmoid', 'elu', 'linear'] as const).map((activation) => ({
    name: `highway_${activation}`,
    inputShape: [2, 3, 5],
    trainStep: activation === 'tanh',
    layers: () => [new Highway({ inputShape: [3, 5], activation, gateBias: -1 })],
  })),
  {
    name: 'highway_defaults_in_skip',
    inputShape: [4, 6],
    layers: () => [new SkipConnection({ inputShape: [6], mainPath: new Highway({}), how: 'concat' })],
  },
  { name: 'layer_scale_per_channel', inputShape: [2, 3, 3, 4], layers: () => [new LayerScale({ inputShape: [3, 3, 4], initValue: 0.1 })] },
  { name: 'layer_scale_scalar', inputShape: [2, 5], layers: () => [new LayerScale({ inputShape: [5], initValue: 0, perChannel: false })] },
  { name: 'shortcut_projection_bn', inputShape: [2, 5, 5, 3], trainStep: true, layers: () => [new Shortcut({ inputShape: [5, 5, 3], filters: 6, strides: 2 })] },
  { name: 'shortcut_projection_no_bn', inputShape: [2, 4, 4, 3], layers: () => [new Shortcut({ inputShape: [4, 4, 3], filters: 4, batchNorm: false })] },
  { name: 'shortcut_zero_pad', inputShape: [2, 5, 5, 3], layers: () => [new Shortcut({ inputShape: [5, 5, 3], filters: 8, strides: 2, kind: 'zeroPad' })] },
  { name: 'shortcut_identity', inputShape: [2, 3, 3, 4], layers: () => [new Shortcut({ inputShape: [3, 3, 4], filters: 4 })] },
  {
    name: 'residual_block',
    inputShape: [2, 6, 6, 3],
    trainStep: true,
    layers: () => [
      new SkipConnection({
        inputShape: [6, 6, 3],
        mainPath: [conv(4, 3, 2), tf.layers.batchNormalization({}), tf.layers.reLU(), conv(4, 3), tf.layers.batchNormalization({}), new LayerScale({ initValue: 0.5 }), new DropPath({ rate: 0.3 })],
        skipPath: new Shortcut({ filters: 4, strides: 2 }),
      }),
      tf.layers.reLU(),
      new SkipConnection({ mainPath: [conv(2, 3)], skipPath: new Shortcut({ filters: 6, kind: 'zeroPad' }), how: 'concat' }),
    ],
  },
];

async function run(c: Case) {
  seed = c.name.split('').reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 100000, 7);
  const model = tf.sequential({ layers: c.layers() });
  for (const layer of model.layers) layer.setWeights(layer.weights.map(valueFor));
  // The layer configs exactly as tfjs-skip's fileSystem handler writes them into model.json.
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-skip-reference-'));
  await model.save(fileSystem(dir));
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } } };
  rmSync(dir, { recursive: true });
  const configs = modelJson.modelTopology.config.layers;
  const layers = model.layers.map((layer, i) => ({
    className: layer.getClassName(),
    config: configs[i]!.config,
    weightNames: layer.weights.map((w) => w.originalName),
    weights: layer.getWeights().map(arr),
    params: layer.countParams(),
  }));
  const x = tf.randomNormal(c.inputShape, 0, 1, 'float32', seed + 1000);
  const output = arr(model.predict(x) as tf.Tensor);
  // DropPath is random in training: leave it out of the training output (rate 0 is not allowed
  // to differ, so the case skips the training output when the model has one).
  const hasDropPath = JSON.stringify(configs).includes('"DropPath"');
  const result: Record<string, unknown> = { name: c.name, input: arr(x), output, layers, params: model.countParams(), outputShape: model.outputShape };
  if (!hasDropPath) result['outputTraining'] = arr(model.apply(x, { training: true }) as tf.Tensor);
  if (c.trainStep && !hasDropPath) {
    // The training-mode call above moved the BatchNorm statistics: start the step from the recorded weights.
    model.layers.forEach((layer, i) => layer.setWeights(layers[i]!.weights.map((w) => tf.tensor(w.data, w.shape))));
    const y = tf.randomNormal(output.shape, 0, 1, 'float32', seed + 2000);
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const loss = (await model.trainOnBatch(x, y)) as number;
    result['trainStep'] = { target: arr(y), loss, weightsAfter: model.layers.map((l) => l.getWeights().map(arr)) };
  }
  return result;
}

/** The residual block has a DropPath: its training output and step are checked on a copy without it. */
function withoutDropPath(c: Case): Case {
  return {
    ...c,
    name: `${c.name}_no_drop_path`,
    layers: () =>
      c.layers().map((l) =>
        l instanceof SkipConnection ? new SkipConnection({ mainPath: l.mainPath.filter((p) => !(p instanceof DropPath)), skipPath: [...l.skipPath], how: l.how, ...(l.batchInputShape && { batchInputShape: l.batchInputShape }) }) : l,
      ),
  };
}

const all = [...cases, withoutDropPath(cases.at(-1)!)];
const results = [];
for (const c of all) results.push(await run(c)); // one at a time: run() resets the seed
const out = { generatedBy: 'python/tests/make_reference.ts', tfjs: tf.version.tfjs, registeredClasses, mergeNames: MERGE_NAMES, cases: results };
writeFileSync(process.argv[2] ?? new URL('./data/reference.json', import.meta.url), JSON.stringify(out));
console.log(`wrote ${all.length} cases; tfjs-skip registers ${registeredClasses.join(', ')}`);
