import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { decodeKeras, encodeKeras, kerasBytes, kerasSaver, loadModel, ModelFileError } from '../index.js';
import { kerasFile } from '../node/index.js';
import { sniffFormat } from './decode.js';

function smallModel(): tf.Sequential {
  return tf.sequential({
    layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 2 })],
  });
}

async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved!: tf.io.ModelArtifacts;
  await model.save(
    tf.io.withSaveHandler(
      (a) => ((saved = a), Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })),
    ),
  );
  return saved;
}

function sameOutputs(a: tf.LayersModel, b: tf.LayersModel): number {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 3);
    return tf.max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor))).dataSync()[0];
  });
}

describe('kerasSaver and kerasBytes (in memory)', () => {
  it.each(['keras', 'h5'] as const)(
    '%s: saves bytes of that format and loads them back, as a Uint8Array or an ArrayBuffer',
    async (format) => {
      const model = smallModel();
      let bytes!: Uint8Array;
      await model.save(kerasSaver(format, (b) => void (bytes = b)));
      expect(sniffFormat(bytes)).toBe(format);
      const fromView = await tf.loadLayersModel(kerasBytes(bytes));
      const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      const fromBuffer = await loadModel(kerasBytes(buffer, { format }));
      expect(sameOutputs(model, fromView)).toBe(0);
      expect(sameOutputs(model, fromBuffer)).toBe(0);
      [model, fromView, fromBuffer].forEach((m) => m.dispose());
    },
  );

  it('decodeKeras returns verified TF.js artifacts that loadModel builds; encodeKeras is its inverse', async () => {
    const model = smallModel();
    const artifacts = await artifactsOf(model);
    const decoded = await decodeKeras(await encodeKeras(artifacts, 'keras'));
    expect(decoded.weightSpecs!.map((s) => s.name)).toEqual(artifacts.weightSpecs!.map((s) => s.name));
    expect(new Float32Array(decoded.weightData as ArrayBuffer)).toEqual(
      new Float32Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
    );
    const loaded = await loadModel(decoded);
    expect(sameOutputs(model, loaded)).toBe(0);
    model.dispose();
    loaded.dispose();
  });

  it('refuses to save a layer Keras 3 lacks, before calling onBytes', async () => {
    const model = tf.sequential({ layers: [tf.layers.thresholdedReLU({ inputShape: [4] })] });
    let called = false;
    const error = await model.save(kerasSaver('keras', () => void (called = true))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problem).toBe('unsupported-layer');
    expect((error as ModelFileError).message).toMatch(
      /"thresholded_re_lu_ThresholdedReLU\d+" is a ThresholdedReLU layer/,
    );
    expect(called).toBe(false);
    model.dispose();
  });

  it("refuses a format that is not 'keras' or 'h5'", () => {
    expect(() => kerasSaver('json' as 'keras', () => undefined)).toThrow(/writes 'keras' or 'h5', but received "json"/);
  });
});

describe('loadModel of a Keras handler', () => {
  async function bytesOf(model: tf.LayersModel): Promise<Uint8Array> {
    let bytes!: Uint8Array;
    await model.save(kerasSaver('keras', (b) => void (bytes = b)));
    return bytes;
  }

  it("builds the model once, without the handler's load(), leaving only its weights", async () => {
    const model = smallModel();
    const handler = kerasBytes(await bytesOf(model));
    const load = vi.spyOn(handler, 'load');
    const before = tf.memory().numTensors;
    const loaded = await loadModel(handler);
    expect(load).not.toHaveBeenCalled();
    expect(tf.memory().numTensors - before).toBe(loaded.weights.length);
    expect(sameOutputs(model, loaded)).toBe(0);
    [model, loaded].forEach((m) => m.dispose());
  });

  it("applies the handler's options and loadModel's: the stricter limit, NaN weights only if both allow", async () => {
    const model = smallModel(); // 23 parameters
    const bytes = await bytesOf(model);
    const before = tf.memory().numTensors;
    const refusal = (promise: Promise<unknown>) => promise.catch((e: ModelFileError) => e.problem);
    expect(await refusal(loadModel(kerasBytes(bytes), { maxParameters: 22 }))).toBe('too-many-params');
    expect(await refusal(loadModel(kerasBytes(bytes, { maxParameters: 22 }), { maxParameters: 100 }))).toBe(
      'too-many-params',
    );
    tf.tidy(() => {
      const [kernel, bias] = model.layers[0].getWeights();
      model.layers[0].setWeights([kernel, tf.fill(bias.shape, NaN)]);
    });
    const nan = await bytesOf(model);
    expect(await refusal(loadModel(kerasBytes(nan, { allowNonFinite: true })))).toBe('non-finite');
    expect(await refusal(loadModel(kerasBytes(nan), { allowNonFinite: true }))).toBe('non-finite');
    expect(tf.memory().numTensors).toBe(before); // the refusals left nothing behind
    const loaded = await loadModel(kerasBytes(nan, { allowNonFinite: true }), { allowNonFinite: true });
    expect(Number.isNaN(loaded.getWeights()[1].dataSync()[0])).toBe(true);
    [model, loaded].forEach((m) => m.dispose());
  });
});

describe('kerasFile (Node)', () => {
  it.each(['model.keras', 'model.h5'])(
    '%s: model.save and tf.loadLayersModel / loadModel round-trip, the save leaving only the file',
    async (name) => {
      const dir = mkdtempSync(join(tmpdir(), 'keras-file-'));
      const file = join(dir, name);
      const model = smallModel();
      await model.save(kerasFile(file));
      const viaTf = await tf.loadLayersModel(kerasFile(file));
      const viaLoader = await loadModel(kerasFile(file));
      expect(sameOutputs(model, viaTf)).toBe(0);
      expect(sameOutputs(model, viaLoader)).toBe(0);
      const other = smallModel();
      await other.save(kerasFile(file)); // replaced atomically: no temporary file stays
      expect(readdirSync(dir)).toEqual([name]);
      const replaced = await loadModel(kerasFile(file));
      expect(sameOutputs(other, replaced)).toBe(0);
      [model, viaTf, viaLoader, other, replaced].forEach((m) => m.dispose());
    },
  );

  it('names the file in refusals, and refuses a missing one as not-found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keras-file-'));
    writeFileSync(join(dir, 'junk.keras'), 'not a zip');
    const junk = await tf.loadLayersModel(kerasFile(join(dir, 'junk.keras'))).catch((e: ModelFileError) => e);
    expect((junk as ModelFileError).problem).toBe('bad-archive');
    expect((junk as ModelFileError).message).toContain(join(dir, 'junk.keras'));
    const missing = await loadModel(kerasFile(join(dir, 'missing.h5'))).catch((e: ModelFileError) => e);
    expect((missing as ModelFileError).problem).toBe('not-found');
    expect(readFileSync(join(dir, 'junk.keras'), 'utf8')).toBe('not a zip');
  });
});
