/**
 * Writes the hostile model corpus: one folder per attack, each a model.json
 * (plus weights.bin where the attack needs weights) and an expected.json
 * naming the `ModelFileError` problem the loader must raise and the options
 * to load it with. The corpus is committed; run this again only to change it:
 *
 *   node --import tsx packages/tfjs-skip/test/hostile/make_corpus.ts
 *
 * Every folder starts from the same small valid model (a SkipConnection
 * around Dense(4), then Dense(2): 30 weights) and breaks one thing. Cases
 * that point outside the folder point at `../canary.bin`, which the tests
 * create next to the folder with exactly the right size and valid weights:
 * a loader that followed the path would load successfully.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** A layer of the model.json, loosely typed: the cases vandalise its config on purpose. */
type LayerJson = { class_name: string; config: Record<string, unknown> };
/** A weight spec: its shape and dtype are vandalised too. */
type WeightSpecJson = Record<string, unknown>;
/** The parts of a model.json the cases change. */
type ModelJson = {
  modelTopology: { class_name: string; config: { name: string; layers: LayerJson[] } } & Record<string, unknown>;
  weightsManifest: { paths: unknown[]; weights: WeightSpecJson[] }[];
} & Record<string, unknown>;

const dense = (name: string, units: number, extra: Record<string, unknown> = {}): LayerJson => ({
  class_name: 'Dense',
  config: {
    units,
    activation: 'linear',
    use_bias: true,
    kernel_initializer: {
      class_name: 'VarianceScaling',
      config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null },
    },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    name,
    trainable: true,
    ...extra,
  },
});

function baseModel(): ModelJson {
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'victim',
        layers: [
          {
            class_name: 'SkipConnection',
            config: {
              main_path: [dense('inner', 4, { activation: 'relu' })],
              skip_path: [],
              how: 'add',
              name: 'res',
              trainable: true,
              batch_input_shape: [null, 4],
              dtype: 'float32',
            },
          },
          dense('head', 2),
        ],
      },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: null,
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'res/inner/kernel', shape: [4, 4], dtype: 'float32' },
          { name: 'res/inner/bias', shape: [4], dtype: 'float32' },
          { name: 'head/kernel', shape: [4, 2], dtype: 'float32' },
          { name: 'head/bias', shape: [2], dtype: 'float32' },
        ],
      },
    ],
  };
}

/** The 30 valid weights of the base model, as float32 bytes. */
export function baseWeights(count = 30): Buffer {
  return Buffer.from(new Float32Array(Array.from({ length: count }, (_, i) => (i % 7) / 10 - 0.3)).buffer);
}

interface Case {
  problem: string;
  why: string;
  options?: Record<string, unknown>;
  /** Changes the model.json; return a string to write it verbatim. */
  json?: (m: ModelJson) => string | void;
  /** The weights.bin to write (default: the 30 base weights); null for none. */
  weights?: Buffer | null;
  /** Relative symlinks to create in the folder: name → target. */
  links?: Record<string, string>;
}

const layers = (m: ModelJson): LayerJson[] => m.modelTopology.config.layers;
const inner = (m: ModelJson): LayerJson => (layers(m)[0].config.main_path as LayerJson[])[0];
const specs = (m: ModelJson): WeightSpecJson[] => m.weightsManifest[0].weights;
const setPath = (p: string) => (m: ModelJson) => void (m.weightsManifest[0].paths = [p]);

function nestedSkips(levels: number): LayerJson {
  let path: LayerJson[] = [dense('leaf', 4)];
  for (let i = 0; i < levels; i++)
    path = [{ class_name: 'SkipConnection', config: { main_path: path, skip_path: [], how: 'add', name: `s${i}` } }];
  return path[0];
}

const cases: Record<string, Case> = {
  'path-absolute': { problem: 'unsafe-path', why: 'an absolute weights path', json: setPath('/etc/passwd') },
  'path-parent': { problem: 'unsafe-path', why: 'a weights path with ..', json: setPath('../canary.bin') },
  'path-nested-parent': {
    problem: 'unsafe-path',
    why: 'a weights path leaving the folder through a subfolder',
    json: setPath('sub/../../canary.bin'),
  },
  'path-backslash': { problem: 'unsafe-path', why: 'a Windows-style weights path', json: setPath('..\\canary.bin') },
  'path-nul': {
    problem: 'unsafe-path',
    why: 'a weights path with a NUL byte',
    json: setPath('weights.bin\u0000../../canary.bin'),
  },
  'path-file-url': { problem: 'unsafe-path', why: 'a file: URL as weights path', json: setPath('file:///etc/passwd') },
  'path-http-url': {
    problem: 'unsafe-path',
    why: 'an http URL as weights path',
    json: setPath('https://example.com/weights.bin'),
  },
  'path-symlink': {
    problem: 'unsafe-path',
    why: 'a weights file that is a symlink out of the folder',
    weights: null,
    links: { 'weights.bin': '../canary.bin' },
  },
  'model-json-symlink': {
    problem: 'unsafe-path',
    why: 'a model.json that is a symlink out of the folder',
    json: () => undefined,
    weights: null,
    links: { 'model.json': '../canary.json' },
  },

  'class-unknown': {
    problem: 'unknown-class',
    why: 'a layer class nobody registered',
    json: (m) => void (layers(m)[1].class_name = 'EvilLayer'),
  },
  'class-not-a-layer': {
    problem: 'unknown-class',
    why: 'a registered class that is not a layer (an initializer) as a layer',
    json: (m) => void (layers(m)[1].class_name = 'GlorotUniform'),
  },
  'class-nested-not-a-layer': {
    problem: 'unknown-class',
    why: 'an optimizer class inside a SkipConnection path',
    json: (m) => void (inner(m).class_name = 'Adam'),
  },
  'class-root-not-a-model': {
    problem: 'unknown-class',
    why: 'a layer class as the model',
    json: (m) => void (m.modelTopology.class_name = 'Dense'),
  },
  'class-proto': {
    problem: 'prototype-key',
    why: '__proto__ as class name',
    json: (m) => void (layers(m)[1].class_name = '__proto__'),
  },
  'class-constructor': {
    problem: 'prototype-key',
    why: 'constructor as class name',
    json: (m) => void (layers(m)[1].class_name = 'constructor'),
  },
  'class-tostring': {
    problem: 'prototype-key',
    why: 'toString as class name',
    json: (m) => void (layers(m)[1].class_name = 'toString'),
  },
  'class-hasownproperty-nested': {
    problem: 'prototype-key',
    why: 'hasOwnProperty as a class name inside a SkipConnection path',
    json: (m) => void (inner(m).class_name = 'hasOwnProperty'),
  },
  'activation-tostring': {
    problem: 'prototype-key',
    why: 'toString as activation',
    json: (m) => void (inner(m).config.activation = 'toString'),
  },
  'activation-snake-case': {
    problem: 'prototype-key',
    why: 'an activation that TF.js camel-cases to hasOwnProperty',
    json: (m) => void (layers(m)[1].config.activation = 'has_own_property'),
  },
  'initializer-constructor': {
    problem: 'prototype-key',
    why: 'constructor as initializer',
    json: (m) => void (inner(m).config.kernel_initializer = 'constructor'),
  },
  'initializer-class-proto': {
    problem: 'prototype-key',
    why: '__proto__ as an initializer class',
    json: (m) => void (inner(m).config.bias_initializer = { class_name: '__proto__', config: {} }),
  },
  'regularizer-valueof': {
    problem: 'prototype-key',
    why: 'valueOf as regularizer',
    json: (m) => void (layers(m)[1].config.kernel_regularizer = { class_name: 'valueOf', config: {} }),
  },
  'constraint-tostring': {
    problem: 'prototype-key',
    why: 'toString as constraint',
    json: (m) => void (layers(m)[1].config.kernel_constraint = 'toString'),
  },
  'merge-tostring': {
    problem: 'prototype-key',
    why: 'toString as merge',
    json: (m) => void (layers(m)[0].config.how = 'toString'),
  },
  'merge-constructor': {
    problem: 'prototype-key',
    why: 'constructor as merge',
    json: (m) => void (layers(m)[0].config.how = 'constructor'),
  },
  'key-proto-pollution': {
    problem: 'prototype-key',
    why: 'a __proto__ key that would set the prototype of the converted config',
    json: (m) =>
      JSON.stringify(m).replace('"name":"head"', '"name":"head","__proto__":{"polluted":true,"units":1000000000}'),
  },
  'layer-name-tostring': {
    problem: 'prototype-key',
    why: 'a layer named toString, which functional configs look up in plain objects',
    json: (m) => void (layers(m)[1].config.name = 'toString'),
  },

  'shape-negative': {
    problem: 'bad-weight-spec',
    why: 'a negative dimension',
    json: (m) => void (specs(m)[0].shape = [-4, -4]),
  },
  'shape-fractional': {
    problem: 'bad-weight-spec',
    why: 'a fractional dimension',
    json: (m) => void (specs(m)[0].shape = [2.5, 6.4]),
  },
  'shape-string': {
    problem: 'bad-weight-spec',
    why: 'a dimension that is a string',
    json: (m) => void (specs(m)[0].shape = ['4', 4]),
  },
  'shape-absurd-rank': {
    problem: 'bad-weight-spec',
    why: 'a weight of rank 64',
    json: (m) => void (specs(m)[0].shape = Array(64).fill(1)),
  },
  'shape-huge': {
    problem: 'too-many-params',
    why: 'a weight of 10^12 elements',
    json: (m) => void (specs(m)[0].shape = [1_000_000, 1_000_000]),
  },
  'params-over-cap': {
    problem: 'too-many-params',
    why: 'a valid model over a caller-set cap',
    options: { maxParameters: 20 },
  },
  'dense-units-huge': {
    problem: 'too-many-params',
    why: 'Dense units 1e9 with an unchanged manifest',
    json: (m) => void (layers(m)[1].config.units = 1e9),
  },
  'skip-nested-units-huge': {
    problem: 'too-many-params',
    why: 'Dense units 5e8 inside a SkipConnection path',
    json: (m) => void (inner(m).config.units = 5e8),
  },
  'conv-filters-huge': {
    problem: 'too-many-params',
    why: 'Conv2D whose kernel would hold 64*64*3*1e5 weights',
    json: (m) => {
      m.modelTopology.config.layers = [
        {
          class_name: 'Conv2D',
          config: {
            filters: 100000,
            kernel_size: [64, 64],
            strides: [1, 1],
            padding: 'same',
            name: 'conv',
            batch_input_shape: [null, 8, 8, 3],
            dtype: 'float32',
          },
        },
      ];
      m.weightsManifest[0].weights = [];
    },
    weights: Buffer.alloc(0),
  },
  'batchnorm-channels-huge': {
    problem: 'too-many-params',
    why: 'BatchNormalization over 1e9 channels',
    json: (m) => {
      m.modelTopology.config.layers = [
        {
          class_name: 'BatchNormalization',
          config: { axis: -1, name: 'bn', batch_input_shape: [null, 1e9], dtype: 'float32' },
        },
      ];
      m.weightsManifest[0].weights = [];
    },
    weights: Buffer.alloc(0),
  },
  'embedding-huge': {
    problem: 'too-many-params',
    why: 'Embedding of 1e9 x 64',
    json: (m) => {
      m.modelTopology.config.layers = [
        {
          class_name: 'Embedding',
          config: { input_dim: 1e9, output_dim: 64, name: 'emb', batch_input_shape: [null, 10], dtype: 'float32' },
        },
      ];
      m.weightsManifest[0].weights = [];
    },
    weights: Buffer.alloc(0),
  },

  'weights-short': { problem: 'weights-size', why: 'weight data shorter than the manifest', weights: baseWeights(29) },
  'weights-long': {
    problem: 'weights-size',
    why: 'trailing bytes after the weights',
    weights: Buffer.concat([baseWeights(), Buffer.alloc(3)]),
  },
  'weights-missing': {
    problem: 'weights-mismatch',
    why: 'a weight of the model absent from the manifest',
    json: (m) => void specs(m).pop(),
    weights: baseWeights(28),
  },
  'weights-duplicate': {
    problem: 'weights-mismatch',
    why: 'the same weight listed twice',
    json: (m) => void specs(m).push({ ...specs(m)[3] }),
    weights: baseWeights(32),
  },
  'weights-extra': {
    problem: 'weights-mismatch',
    why: 'a weight the model does not have',
    json: (m) => void specs(m).push({ name: 'head/extra', shape: [2], dtype: 'float32' }),
    weights: baseWeights(32),
  },
  'weights-reshaped': {
    problem: 'weights-mismatch',
    why: 'a kernel listed with another shape of the same size',
    json: (m) => void (specs(m)[0].shape = [2, 8]),
  },
  'weights-nan': {
    problem: 'non-finite',
    why: 'a NaN weight',
    weights: Buffer.concat([baseWeights(5), Buffer.from(new Float32Array([NaN]).buffer), baseWeights(24)]),
  },
  'weights-infinity': {
    problem: 'non-finite',
    why: 'an infinite weight',
    weights: Buffer.concat([baseWeights(29), Buffer.from(new Float32Array([-Infinity]).buffer)]),
  },

  'deep-nested-skips': {
    problem: 'too-deep',
    why: '400 SkipConnections nested in each other',
    json: (m) => void (layers(m)[0].config.main_path = [nestedSkips(400)]),
    weights: baseWeights(30),
  },
  'deep-arrays': {
    problem: 'too-deep',
    why: 'a config value nested 100000 arrays deep',
    json: (m) =>
      JSON.stringify(m).replace(
        '"trainable":true',
        `"trainable":true,"junk":${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      ),
  },
  'deep-manifest-path': {
    problem: 'too-deep',
    why:
      'a weights path nested 100000 arrays deep (found by the mutation fuzzer: it overflowed the stack while ' +
      'being quoted in an error)',
    json: (m) =>
      JSON.stringify(m).replace(
        '"paths":["weights.bin"]',
        `"paths":[${'['.repeat(100_000)}"weights.bin"${']'.repeat(100_000)}]`,
      ),
  },
  'initializer-hangs-tfjs': {
    problem: 'weights-mismatch',
    why:
      'no weights, and a VarianceScaling initializer whose scale is not a number: tfjs 4.22 samples a normal of ' +
      'NaN spread forever when it runs it (tf.loadLayersModel of this model.json never returns); the loader never ' +
      'runs initializers, builds, and refuses the missing weights',
    json: (m) => {
      inner(m).config.kernel_initializer = {
        class_name: 'VarianceScaling',
        config: { scale: 'x', mode: 'fan_avg', distribution: 'normal', seed: null },
      };
      m.weightsManifest = [];
    },
    weights: null,
  },
  'model-json-too-large': {
    problem: 'too-large',
    why: 'a model.json over a caller-set byte limit',
    options: { maxModelJsonBytes: 1024 },
  },
  'not-json': { problem: 'bad-json', why: 'a truncated model.json', json: (m) => JSON.stringify(m).slice(0, 200) },
  'topology-not-object': {
    problem: 'bad-artifacts',
    why: 'a modelTopology that is a string',
    json: (m) => void ((m as Record<string, unknown>).modelTopology = 'Sequential'),
  },
  'build-fails-late': {
    problem: 'bad-config',
    why:
      'a config TF.js fails on after building (and allocating) the first layer: ' +
      'an unknown activation in the last layer',
    json: (m) => void (layers(m)[1].config.activation = 'evil_activation'),
  },
};

rmSync(join(here, 'cases'), { recursive: true, force: true });
for (const [name, c] of Object.entries(cases)) {
  const dir = join(here, 'cases', name);
  mkdirSync(dir, { recursive: true });
  const model = baseModel();
  const changed = c.json?.(model);
  if (!c.links?.['model.json'])
    writeFileSync(join(dir, 'model.json'), typeof changed === 'string' ? changed : JSON.stringify(model));
  const weights = c.weights === undefined ? baseWeights() : c.weights;
  if (weights != null) writeFileSync(join(dir, 'weights.bin'), weights);
  for (const [link, target] of Object.entries(c.links ?? {})) symlinkSync(target, join(dir, link));
  writeFileSync(
    join(dir, 'expected.json'),
    JSON.stringify({ problem: c.problem, why: c.why, options: c.options ?? {} }, null, 2) + '\n',
  );
}
writeFileSync(join(here, 'base-model.json'), JSON.stringify(baseModel()));
console.log(`wrote ${Object.keys(cases).length} hostile cases to ${join(here, 'cases')}`);
