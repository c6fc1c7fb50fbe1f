import * as tf from '@tensorflow/tfjs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipConnection } from '../index.js';
import { ModelFileError, type ModelFileProblem } from '../io/model_file_error.js';
import { kerasFile } from '../node/keras_file.js';
import { decodeKeras, type KerasLoadOptions } from './decode.js';
import { encodeKeras } from './encode.js';
import { writeHdf5, type H5Group } from './hdf5.js';

// One hostile Keras file per refusal: each is refused with its problem code,
// leaves no tensor or variable behind and does not touch Object.prototype.

let artifacts: tf.io.ModelArtifacts;
let keras: Uint8Array;
let h5: Uint8Array;

beforeAll(async () => {
  const model = tf.sequential({
    layers: [
      skipConnection({ inputShape: [4], mainPath: [tf.layers.dense({ units: 4 })] }),
      tf.layers.dense({ units: 2 }),
    ],
  });
  await model.save(
    tf.io.withSaveHandler(
      (a) => ((artifacts = a), Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })),
    ),
  );
  model.dispose();
  keras = await encodeKeras(artifacts, 'keras');
  h5 = await encodeKeras(artifacts, 'h5');
});

/** Loads `bytes` expecting a refusal; checks nothing was left behind. */
async function refused(bytes: Uint8Array, options: KerasLoadOptions = {}): Promise<ModelFileError> {
  const tensors = tf.memory().numTensors;
  const variables = Object.keys(tf.engine().state.registeredVariables).length;
  const error = await decodeKeras(bytes, options).then(
    () => new Error('loaded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  expect(tf.memory().numTensors).toBe(tensors);
  expect(Object.keys(tf.engine().state.registeredVariables).length).toBe(variables);
  expect(Object.keys(Object.prototype)).toEqual([]);
  return error as ModelFileError;
}

const entries = () => unzipSync(keras);
/** A layer of config.json, loosely typed: the tests vandalise it on purpose. */
type LayerJson = { class_name: string; config: Record<string, unknown> };
type ConfigJson = { config: { layers: LayerJson[] } } & Record<string, unknown>;
const configOf = () => JSON.parse(new TextDecoder().decode(entries()['config.json'])) as ConfigJson;
const withConfig = (config: unknown) => zipSync({ ...entries(), 'config.json': strToU8(JSON.stringify(config)) });
/** The config with its second layer (after the InputLayer) replaced. */
function withLayer(edit: (layer: LayerJson) => unknown): Uint8Array {
  const config = configOf();
  (config.config.layers as unknown[])[1] = edit(config.config.layers[1]);
  return withConfig(config);
}

/** A `.keras` whose weights file holds `write`'s datasets instead. */
async function withWeights(write: (file: H5Group) => void): Promise<Uint8Array> {
  return zipSync({ ...entries(), 'model.weights.h5': await writeHdf5(write) });
}

describe('hostile .keras archives', () => {
  it('too-large: an entry declaring more than its cap is never inflated (zip bomb, declared size)', async () => {
    const bomb = zipSync({ ...entries(), 'model.weights.h5': new Uint8Array(8 * 2 ** 20) });
    const error = await refused(bomb, { maxEntryBytes: 2 ** 20 });
    expect(error.problem).toBe('too-large');
    expect(error.message).toMatch(/declares 8388608 bytes uncompressed, over its 1048576-byte cap/);
  });

  it('too-large: an entry lying about its size is stopped at its cap (zip bomb, actual size)', async () => {
    const bomb = zipSync({ 'config.json': entries()['config.json'], 'model.weights.h5': new Uint8Array(8 * 2 ** 20) });
    // Patch the local header's uncompressed size of the second entry to 100 bytes.
    const at = findLocalHeader(bomb, 'model.weights.h5');
    new DataView(bomb.buffer, bomb.byteOffset).setUint32(at + 22, 100, true);
    const error = await refused(bomb, { maxEntryBytes: 2 ** 20 });
    expect(error.problem).toBe('too-large');
    expect(error.message).toMatch(/inflates past its 1048576-byte cap \(declared 100 bytes\)/);
  });

  it('too-large: a config.json over maxModelJsonBytes', async () => {
    expect((await refused(keras, { maxModelJsonBytes: 100 })).problem).toBe('too-large');
  });

  it('ignores entries with traversal names: never extracted, never written, the model loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keras-traversal-'));
    const archive = zipSync({
      ...entries(),
      '../../escaped.txt': strToU8('x'),
      '/tmp/absolute.txt': strToU8('x'),
      'assets/../../up.txt': strToU8('x'),
    });
    writeFileSync(join(dir, 'model.keras'), archive);
    const model = await tf.loadLayersModel(kerasFile(join(dir, 'model.keras')));
    expect(model.countParams()).toBe(30);
    model.dispose();
    expect(existsSync(join(dir, '..', '..', 'escaped.txt'))).toBe(false);
    expect(existsSync(join(dir, 'assets'))).toBe(false);
  });

  it.each(['config.json', 'model.weights.h5'])('bad-archive: no %s', async (name) => {
    const rest = entries();
    delete rest[name];
    const error = await refused(zipSync(rest));
    expect(error.problem).toBe('bad-archive');
    expect(error.message).toContain(name);
  });

  it('bad-archive: config.json twice (zip readers disagree on which one wins)', async () => {
    const config = entries()['config.json'];
    const archive = zipSync({ ...entries(), 'config.json': config });
    const twice = concatZips(archive, zipSync({ 'config.json': config }));
    expect((await refused(twice)).problem).toBe('bad-archive');
  });

  it('bad-archive: a truncated .keras', async () => {
    expect((await refused(keras.subarray(0, Math.floor(keras.length / 2)), { format: 'keras' })).problem).toBe(
      'bad-archive',
    );
  });

  it('bad-json: config.json that is not JSON', async () => {
    expect((await refused(zipSync({ ...entries(), 'config.json': strToU8('{"class_name": ') }))).problem).toBe(
      'bad-json',
    );
  });

  it('too-deep: a config nested past maxConfigDepth, refused before anything recurses', async () => {
    const deep = `{"class_name":"Sequential","config":{"layers":[${'['.repeat(5000)}${']'.repeat(5000)}]}}`;
    expect((await refused(zipSync({ ...entries(), 'config.json': strToU8(deep) }))).problem).toBe('too-deep');
  });

  it('unsupported-layer: a Lambda layer (Python bytecode in the config), naming the layer and its class', async () => {
    const error = await refused(
      withLayer(() => ({
        module: 'keras.layers',
        class_name: 'Lambda',
        config: { name: 'evil', function: { class_name: '__lambda__', config: { code: '4wEAAAAAAAAA' } } },
        registered_name: null,
      })),
    );
    expect(error.problem).toBe('unsupported-layer');
    expect(error.message).toMatch(/"evil".*Lambda|Lambda.*evil/s);
  });

  it.each([
    ['an unknown class', { module: 'keras.layers', class_name: 'FancyAttention', config: { name: 'x' } }],
    ['os.system as a class', { module: 'os', class_name: 'system', config: { name: 'x' } }],
    ['subprocess.Popen as a class', { module: 'subprocess', class_name: 'Popen', config: { name: 'x' } }],
    [
      'builtins.eval as a registered name',
      { module: 'builtins', class_name: 'Dense', config: { name: 'x', units: 2 }, registered_name: 'builtins>eval' },
    ],
    ['a class named __proto__', { module: 'keras.layers', class_name: '__proto__', config: { name: 'x' } }],
    ['a class named constructor', { module: 'keras.layers', class_name: 'constructor', config: { name: 'x' } }],
  ])('unsupported-layer: %s (module never resolved)', async (_what, layer) => {
    expect((await refused(withLayer(() => layer))).problem).toBe('unsupported-layer');
  });

  it('prototype-key: a __proto__ key or a constructor layer name', async () => {
    const config = new TextDecoder()
      .decode(entries()['config.json'])
      .replace('"how":"add"', '"how":"add","__proto__":{"polluted":1}');
    expect(config).toContain('__proto__');
    expect((await refused(zipSync({ ...entries(), 'config.json': strToU8(config) }))).problem).toBe('prototype-key');
    expect((await refused(withLayer((l) => ({ ...l, config: { ...l.config, name: 'constructor' } })))).problem).toBe(
      'prototype-key',
    );
  });

  it('unsupported-config: mixed precision', async () => {
    const policy = {
      module: 'keras',
      class_name: 'DTypePolicy',
      config: { name: 'mixed_float16' },
      registered_name: null,
    };
    expect((await refused(withLayer((l) => ({ ...l, config: { ...l.config, dtype: policy } })))).problem).toBe(
      'unsupported-config',
    );
  });

  it('weights-mismatch: a dataset whose shape is not the one the config implies (checked before reading)', async () => {
    const config = configOf();
    config.config.layers[2].config.units = 3; // the final Dense: 4 -> 3 outputs, the file holds 4 x 2
    const error = await refused(withConfig(config));
    expect(error.problem).toBe('weights-mismatch');
    expect(error.message).toMatch(/shape \[4,2\].*shape \[4,3\]/);
  });

  it('weights-mismatch: a weight missing from model.weights.h5', async () => {
    expect((await refused(await withWeights((f) => f.create_group('layers')))).problem).toBe('weights-mismatch');
  });

  it('weights-mismatch: a layer holding more variables than it has', async () => {
    const error = await refused(
      await withWeights((f) => {
        const layers = f.create_group('layers');
        const skip = layers
          .create_group('skip_connection')
          .create_group('main_path')
          .create_group('dense')
          .create_group('vars');
        skip.create_dataset({ name: '0', data: new Float32Array(16), shape: [4, 4], dtype: '<f' });
        skip.create_dataset({ name: '1', data: new Float32Array(4), shape: [4], dtype: '<f' });
        skip.create_dataset({ name: '2', data: new Float32Array(4), shape: [4], dtype: '<f' });
        const dense = layers.create_group('dense').create_group('vars');
        dense.create_dataset({ name: '0', data: new Float32Array(8), shape: [4, 2], dtype: '<f' });
        dense.create_dataset({ name: '1', data: new Float32Array(2), shape: [2], dtype: '<f' });
      }),
    );
    expect(error.problem).toBe('weights-mismatch');
    expect(error.message).toMatch(
      /layers\/skip_connection\/main_path\/dense\/vars holds 3 variables, but the layer has 2/,
    );
  });

  it('weights-mismatch: an HDF5 external link in place of a weight is not followed', async () => {
    const error = await refused(
      await withWeights((f) => {
        const vars = f
          .create_group('layers')
          .create_group('skip_connection')
          .create_group('main_path')
          .create_group('dense')
          .create_group('vars');
        vars.create_external_link('/etc/passwd', '/data', '0');
      }),
    );
    expect(error.problem).toBe('weights-mismatch');
  });

  it('bad-weight-spec: a float64 dataset where the config has float32', async () => {
    const error = await refused(
      await withWeights((f) => {
        const vars = f
          .create_group('layers')
          .create_group('skip_connection')
          .create_group('main_path')
          .create_group('dense')
          .create_group('vars');
        vars.create_dataset({ name: '0', data: new Float64Array(16), shape: [4, 4], dtype: '<d' });
      }),
    );
    expect(error.problem).toBe('bad-weight-spec');
  });

  it('too-many-params: more weights than maxParameters, before any is read', async () => {
    expect((await refused(keras, { maxParameters: 10 })).problem).toBe('too-many-params');
  });

  it('non-finite: NaN and Infinity weights, unless allowNonFinite', async () => {
    for (const value of [NaN, Infinity]) {
      const poisoned = await encodeKeras(
        { ...artifacts, weightData: new Float32Array(30).fill(value).buffer },
        'keras',
      );
      expect((await refused(poisoned)).problem).toBe('non-finite');
      const loaded = await decodeKeras(poisoned, { allowNonFinite: true });
      expect(loaded.weightSpecs).toHaveLength(4);
    }
  });
});

describe('hostile .h5 files', () => {
  it('bad-archive: a truncated .h5', async () => {
    expect((await refused(h5.subarray(0, Math.floor(h5.length / 2)))).problem).toBe('bad-archive');
  });

  it('bad-archive: an HDF5 file without model_config (weights only)', async () => {
    const bytes = await writeHdf5((f) => f.create_group('model_weights'));
    expect((await refused(bytes)).problem).toBe('bad-archive');
  });

  it('unsupported-layer: a Lambda layer in model_config', async () => {
    const config = configOf();
    config.config.layers[2] = { class_name: 'Lambda', config: { name: 'evil', function: 'os.system' } };
    const bytes = await writeHdf5((f) => {
      f.create_attribute('model_config', JSON.stringify(config));
      f.create_group('model_weights');
    });
    expect((await refused(bytes)).problem).toBe('unsupported-layer');
  });

  it('weights-mismatch: weight_names listing fewer weights than the layer has', async () => {
    const config = configOf();
    const bytes = await writeHdf5((f) => {
      f.create_attribute('model_config', JSON.stringify(config));
      const weights = f.create_group('model_weights');
      weights.create_attribute('layer_names', ['dense_Dense2']);
      const group = weights.create_group(config.config.layers[2].config.name as string);
      group.create_attribute('weight_names', ['k']);
      group.create_dataset({ name: 'k', data: new Float32Array(8), shape: [4, 2], dtype: '<f' });
    });
    expect((await refused(bytes)).problem).toBe('weights-mismatch');
  });

  it('too-large: a file over maxEntryBytes', async () => {
    expect((await refused(h5, { maxEntryBytes: 100 })).problem).toBe('too-large');
  });
});

describe('neither format', () => {
  it.each([
    ['empty', new Uint8Array(0)],
    ['text', strToU8('hello, world')],
    ['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ])('bad-archive: %s', async (_what, bytes) => {
    const error = await refused(bytes);
    expect(error.problem).toBe('bad-archive');
    expect(error.message).toMatch(/neither a \.keras zip.*nor an HDF5 file/);
  });

  it('bad-archive: zip bytes forced to be read as HDF5, and the other way', async () => {
    expect((await refused(keras, { format: 'h5' })).problem).toBe('bad-archive');
    expect((await refused(h5, { format: 'keras' })).problem).toBe('bad-archive');
  });

  it('bad-path: kerasFile with another extension, naming it', () => {
    const error = (() => {
      try {
        kerasFile('model.json');
      } catch (e) {
        return e as ModelFileError;
      }
      return undefined;
    })();
    expect(error?.problem satisfies ModelFileProblem | undefined).toBe('bad-path');
    expect(error?.message).toContain('".json"');
  });
});

function findLocalHeader(zip: Uint8Array, name: string): number {
  const needle = strToU8(name);
  for (let i = 0; i + 30 < zip.length; i++) {
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 0x03 && zip[i + 3] === 0x04) {
      const nameLength = zip[i + 26] | (zip[i + 27] << 8);
      if (nameLength === needle.length && needle.every((b, j) => zip[i + 30 + j] === b)) return i;
    }
  }
  throw new Error(`no local header for ${name}`);
}

/** Two archives' entries in a row (local headers only): a streaming reader sees both. */
function concatZips(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a.subarray(0, findCentralDirectory(a)));
  const firstEnd = findCentralDirectory(a);
  out.set(b, firstEnd);
  return out.subarray(0, firstEnd + b.length);
}

function findCentralDirectory(zip: Uint8Array): number {
  for (let i = 0; i + 4 < zip.length; i++)
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && zip[i + 2] === 0x01 && zip[i + 3] === 0x02) return i;
  return zip.length;
}
