import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPython } from '../../test/keras/python.js';
import { dropPath, layerScale, skipConnection } from '../index.js';
import { disposeModel } from '../io/build_model.js';
import { loadModel } from '../io/load_model.js';
import { kerasFile } from '../node/keras_file.js';
import { LAYER_TABLE } from './layer_table.js';
import { denseNet, highwayNet, plainNet, resNet, toyResNet, uNet } from '../zoo/index.js';

// Cross tests against the real Keras 3 (the Python of `node scripts/python-env.mjs`;
// they fail, never skip, when it is missing).

/** Every element within 1e-5 absolutely or 1e-4 relatively of Keras's. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (diff > 1e-5 && diff > 1e-4 * Math.abs(expected[i])) worst = Math.max(worst, diff);
  }
  expect(worst, `${what}: largest difference beyond 1e-5 abs / 1e-4 rel`).toBe(0);
}

function predict(model: tf.LayersModel, x: number[], shape: number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync() as Float32Array);
}

interface KerasModel {
  name: string;
  files: string[];
  params: number;
  xShape: number[];
  x: number[];
  y: number[];
}

/** What `make_models.py` writes: the acceptance models, then one model per group of layer classes. */
const KERAS_MODELS = [
  'toy_resnet',
  'seq_cnn',
  'concat',
  'nested',
  'layers_1d',
  'layers_2d',
  'layers_3d',
  'embedding',
  'recurrent',
  'applications_layers',
  'skip_add',
  'skip_concat',
];

let models: KerasModel[] = [];
/** Each Python script takes 15-40 s here (TensorFlow's import alone is several); room for a busy CI machine. */
const PYTHON_TIMEOUT = 600_000;

describe('Keras 3 writes, tfjs-skip loads', () => {
  beforeAll(() => {
    models = runPython('make_models.py', [mkdtempSync(join(tmpdir(), 'keras-made-'))]) as KerasModel[];
  }, PYTHON_TIMEOUT);

  it('writes every model of the acceptance list', () => {
    expect(models.map((m) => m.name)).toEqual(KERAS_MODELS);
    expect(models.find((m) => m.name === 'toy_resnet')!.params).toBe(223242);
  });

  for (const name of KERAS_MODELS) {
    for (const ext of ['keras', 'h5']) {
      it(`${name}.${ext}: same predictions through tf.loadLayersModel and loadModel`, async () => {
        const m = models.find((entry) => entry.name === name)!;
        const file = m.files.find((f) => f.endsWith(`.${ext}`))!;
        const viaTf = await tf.loadLayersModel(kerasFile(file));
        expect(viaTf.countParams()).toBe(m.params);
        expectClose(predict(viaTf, m.x, m.xShape), m.y, `${name}.${ext} via tf.loadLayersModel`);
        // Measured once the first model has run: some tfjs layers cache a constant on first use.
        const before = tf.memory().numTensors;
        const viaLoader = await loadModel(kerasFile(file));
        expectClose(predict(viaLoader, m.x, m.xShape), m.y, `${name}.${ext} via loadModel`);
        disposeModel(viaLoader); // tfjs's dispose leaves a twice-called nested model's weights
        expect(tf.memory().numTensors).toBe(before);
        disposeModel(viaTf);
      });
    }
  }
});

/** Every zoo model, small, plus the blocks no zoo model uses. */
const ZOO: readonly (readonly [string, () => tf.LayersModel])[] = [
  ['toyResNet', () => toyResNet({ inputShape: [16, 16, 3], classes: 4 })],
  ['resnet8-zeroPad', () => resNet({ depth: 8, inputShape: [8, 8, 3], classes: 3 })],
  ['resnet8-projection', () => resNet({ depth: 8, inputShape: [8, 8, 3], classes: 3, shortcut: 'projection' })],
  ['plainNet8', () => plainNet({ depth: 8, inputShape: [8, 8, 3], classes: 3 })],
  ['denseNet', () => denseNet({ depth: 10, growthRate: 4, inputShape: [8, 8, 3], classes: 3 })],
  ['highwayNet', () => highwayNet({ units: 8, depth: 2, inputShape: [6], classes: 3 })],
  ['unet', () => uNet({ filters: 4, depth: 2, inputShape: [8, 8, 1], classes: 2 })],
  [
    'layerScale-dropPath',
    () =>
      tf.sequential({
        layers: [
          tf.layers.dense({ units: 6, inputShape: [5] }),
          skipConnection({
            mainPath: [
              tf.layers.dense({ units: 6, activation: 'relu' }),
              layerScale({ initValue: 0.5 }),
              dropPath({ rate: 0.2 }),
            ],
          }),
          tf.layers.dense({ units: 2 }),
        ],
      }),
  ],
  ['functional-nested', functionalNested],
];

/** A functional model with a Sequential and a functional model nested as layers, merges and a shared input. */
function functionalNested(): tf.LayersModel {
  const input = tf.input({ shape: [6], name: 'x' });
  const block = tf.sequential({
    name: 'block',
    layers: [tf.layers.dense({ units: 6, inputShape: [6], activation: 'relu' }), tf.layers.batchNormalization()],
  });
  const innerIn = tf.input({ shape: [6] });
  const inner = tf.model({
    name: 'inner',
    inputs: innerIn,
    outputs: tf.layers.dense({ units: 4, activation: 'tanh' }).apply(innerIn) as tf.SymbolicTensor,
  });
  const added = tf.layers.add().apply([block.apply(input) as tf.SymbolicTensor, input]) as tf.SymbolicTensor;
  const joined = tf.layers
    .concatenate()
    .apply([inner.apply(added) as tf.SymbolicTensor, tf.layers.dense({ units: 3 }).apply(input) as tf.SymbolicTensor]);
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(joined) as tf.SymbolicTensor });
}

describe('tfjs-skip writes, Keras 3 loads, trains a step and writes back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keras-zoo-'));
  const cases: {
    name: string;
    ext: string;
    file: string;
    out: string;
    xShape: number[];
    x: number[];
    y: Float32Array;
    params: number;
  }[] = [];
  let report: { file: string; error?: string; params: number; before: number[]; after: number[]; moved: number }[] = [];

  beforeAll(async () => {
    for (const [name, make] of ZOO) {
      const model = make();
      const xShape = [2, ...(model.inputs[0].shape.slice(1) as number[])];
      const x = Array.from(tf.tidy(() => tf.randomNormal(xShape, 0, 1, 'float32', 7).dataSync()));
      const y = predict(model, x, xShape);
      for (const ext of ['keras', 'h5']) {
        const file = join(dir, `${name}.${ext}`);
        await model.save(kerasFile(file));
        cases.push({
          name,
          ext,
          file,
          out: join(dir, `${name}.trained.${ext}`),
          xShape,
          x,
          y,
          params: model.countParams(),
        });
      }
      model.dispose();
    }
    // Keras's own models, read by tfjs-skip and written back: every layer class of the table crosses both ways.
    for (const made of models) {
      const model = await loadModel(kerasFile(made.files.find((f) => f.endsWith('.keras'))!));
      const y = predict(model, made.x, made.xShape);
      for (const ext of ['keras', 'h5']) {
        const file = join(dir, `keras-${made.name}.${ext}`);
        await model.save(kerasFile(file));
        cases.push({
          name: `keras:${made.name}`,
          ext,
          file,
          out: join(dir, `keras-${made.name}.trained.${ext}`),
          xShape: made.xShape,
          x: made.x,
          y,
          params: model.countParams(),
        });
      }
      disposeModel(model);
    }
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify(cases.map(({ file, out, xShape, x }) => ({ file, out, xShape, x }))),
    );
    report = runPython('check_models.py', [join(dir, 'spec.json')]) as typeof report;
  }, PYTHON_TIMEOUT);

  it('crosses every class of the layer table, in both directions', () => {
    const seen = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === 'object') {
        const cls = (node as Record<string, unknown>)['class_name'];
        if (typeof cls === 'string') seen.add(cls);
        Object.values(node).forEach(collect);
      }
    };
    for (const c of cases.filter((entry) => entry.ext === 'keras')) {
      collect(JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(c.file))['config.json'])));
    }
    expect(LAYER_TABLE.map((e) => e.keras).filter((name) => !seen.has(name))).toEqual([]);
  });

  for (const name of [...ZOO.map(([n]) => n), ...KERAS_MODELS.map((n) => `keras:${n}`)]) {
    for (const ext of ['keras', 'h5']) {
      it(`${name}.${ext}: Keras predicts what TF.js did, and TF.js reads Keras's trained weights back`, async () => {
        const c = cases.find((entry) => entry.name === name && entry.ext === ext)!;
        const r = report.find((entry) => entry.file === c.file)!;
        expect(r.error, 'Keras could not load, run or save it').toBeUndefined();
        expect(r.params).toBe(c.params);
        expectClose(r.before, c.y, `${name}.${ext} in Keras`);
        expect(r.moved, 'the Keras training step changed the weights').toBeGreaterThan(0);
        const back = await loadModel(kerasFile(c.out));
        expectClose(predict(back, c.x, c.xShape), r.after, `${name}.${ext} trained by Keras, back in TF.js`);
        back.dispose();
      });
    }
  }
});
