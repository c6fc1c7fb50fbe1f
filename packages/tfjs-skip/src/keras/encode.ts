import * as tf from '@tensorflow/tfjs';
import { ModelFileError } from '../io/model_file_error.js';
import type { KerasFormat } from './decode.js';
import { writeHdf5, type H5Group } from './hdf5.js';
import { refuse } from './keras_values.js';
import { topologyToKeras } from './to_keras.js';
import { weightLayout, type WeightLayout, type WeightSlot } from './weight_layout.js';
import { writeZip } from './zip.js';

/** The Keras version whose file format tfjs-skip writes (and tests against). */
export const KERAS_FORMAT_VERSION = '3.15.1';

/**
 * TF.js model artifacts as the bytes of a Keras file that Keras 3 loads:
 * `'keras'` is a `.keras` zip (`config.json`, `metadata.json`,
 * `model.weights.h5`) for `keras.saving.load_model`, `'h5'` a legacy HDF5
 * file (`model_config` + `model_weights`) for `keras.models.load_model`.
 * Layers outside the layer table are refused with a `ModelFileError`
 * (`unsupported-layer`) before anything is written.
 */
export async function encodeKeras(artifacts: tf.io.ModelArtifacts, format: KerasFormat): Promise<Uint8Array> {
  const where = 'the model being saved';
  if (format !== 'keras' && format !== 'h5')
    throw new ModelFileError(
      'bad-path',
      `encodeKeras() writes 'keras' or 'h5', but received ${JSON.stringify(format)}`,
    );
  const topology = artifacts.modelTopology;
  if (topology == null || topology instanceof ArrayBuffer)
    refuse('bad-artifacts', where, 'Keras files hold layers models; received a graph (or no) topology');
  const config = topologyToKeras(topology, where);
  const layout = weightLayout(topology, { maxParameters: Number.MAX_SAFE_INTEGER }, where);
  const values = weightValues(artifacts, layout, where);
  if (format === 'keras') {
    const weights = await writeHdf5((file) => writeKeras3Weights(file, layout, values));
    const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    return writeZip({
      'metadata.json': text({ keras_version: KERAS_FORMAT_VERSION, date_saved: kerasDate(new Date()) }),
      'config.json': text({ ...config, build_config: { input_shape: null }, compile_config: null }),
      'model.weights.h5': weights,
    });
  }
  return writeHdf5((file) => {
    file.create_attribute('backend', 'tensorflow');
    file.create_attribute('keras_version', KERAS_FORMAT_VERSION);
    file.create_attribute('model_config', JSON.stringify(config));
    writeLegacyWeights(file.create_group('model_weights'), layout, values);
  });
}

/** Each slot's values, by the artifacts' weight names (float32 only). */
function weightValues(artifacts: tf.io.ModelArtifacts, layout: WeightLayout, where: string): Float32Array[] {
  const data =
    artifacts.weightData == null ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const offsets = new Map<string, { offset: number; spec: tf.io.WeightsManifestEntry }>();
  let offset = 0;
  for (const spec of artifacts.weightSpecs ?? []) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== 'float32' || spec.quantization !== undefined)
      refuse(
        'bad-weight-spec',
        where,
        `weight "${spec.name}" is ${spec.dtype}${spec.quantization ? ' (quantized)' : ''}; ` +
          `Keras files get float32 weights`,
      );
    offsets.set(spec.name, { offset, spec });
    offset += size * 4;
  }
  if (offset !== data.byteLength)
    refuse(
      'weights-size',
      where,
      `the weight specs describe ${offset} bytes but the weight data holds ${data.byteLength}`,
    );
  return layout.slots.map((slot) => {
    const found = offsets.get(slot.tfjsName);
    if (found === undefined) refuse('weights-mismatch', where, `the artifacts have no weight "${slot.tfjsName}"`);
    if (!tf.util.arraysEqual(found.spec.shape, [...slot.shape]))
      refuse(
        'weights-mismatch',
        where,
        `weight "${slot.tfjsName}" has shape ${JSON.stringify(found.spec.shape)} but the model gives it ` +
          `${JSON.stringify(slot.shape)}`,
      );
    return new Float32Array(data.slice(found.offset, found.offset + slot.shape.reduce((a, b) => a * b, 1) * 4));
  });
}

/** `model.weights.h5`: a `vars` group (named after its layer) per layer, datasets `vars/0`, `vars/1`, ... */
function writeKeras3Weights(file: H5Group, layout: WeightLayout, values: Float32Array[]): void {
  const ensure = (path: string): H5Group => {
    let group = file;
    for (const part of path.split('/').filter(Boolean))
      group = (group.keys().includes(part) ? group.get(part) : group.create_group(part)) as H5Group;
    return group;
  };
  for (const { path, name } of layout.groups) ensure(`${path}/vars`).create_attribute('name', name);
  layout.slots.forEach((slot, i) => {
    const parts = slot.kerasPath.split('/');
    ensure(parts.slice(0, -1).join('/')).create_dataset({ name: parts.at(-1)!, ...datasetOf(slot, values[i]) });
  });
}

/** Legacy: `layer_names` on `model_weights`, and per layer `weight_names` and the datasets they name. */
function writeLegacyWeights(group: H5Group, layout: WeightLayout, values: Float32Array[]): void {
  group.create_attribute('backend', 'tensorflow');
  group.create_attribute('keras_version', KERAS_FORMAT_VERSION);
  group.create_attribute('layer_names', [...layout.topLayers]);
  for (const layer of layout.topLayers) {
    const layerGroup = group.create_group(layer);
    const slots = layout.slots
      .map((slot, i) => ({ slot, value: values[i] }))
      .filter(({ slot }) => slot.legacyLayer === layer);
    if (slots.length === 0) layerGroup.create_attribute('weight_names', new Float64Array(0), [0], '<d');
    else
      layerGroup.create_attribute(
        'weight_names',
        slots.map(({ slot }) => slot.legacyName),
      );
    for (const { slot, value } of slots) {
      const parts = slot.legacyName.split('/');
      let target = layerGroup;
      for (const part of parts.slice(0, -1))
        target = (target.keys().includes(part) ? target.get(part) : target.create_group(part)) as H5Group;
      target.create_dataset({ name: parts.at(-1)!, ...datasetOf(slot, value) });
    }
  }
}

/** A slot's dataset: float32, or int64 where Keras keeps an integer (Normalization's `count`). */
function datasetOf(
  slot: WeightSlot,
  value: Float32Array,
): { data: Float32Array | BigInt64Array; shape: number[]; dtype: string } {
  if (!slot.integer) return { data: value, shape: [...slot.shape], dtype: '<f' };
  return { data: BigInt64Array.from(value, (v) => BigInt(Math.round(v))), shape: [...slot.shape], dtype: '<q' };
}

/** Keras's `date_saved` format: `2026-11-29@17:34:40`. */
function kerasDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', '@');
}
