import type * as tf from '@tensorflow/tfjs';
import { assertConfigDepth } from '../io/config_depth.js';
import { RAISE_MAX_PARAMETERS, resolveLoadLimits, strictestOptions, type LoadModelOptions } from '../io/load_limits.js';
import { buildModelReadingWeights, verifyArtifacts } from '../io/verify_artifacts.js';
import { topologyFromKeras } from './from_keras.js';
import { datasetAt, groupAt, readFloat32Into, readHdf5, stringAttr, stringListAttr, type H5Dataset } from './hdf5.js';
import { refuse, type JsonObject } from './keras_values.js';
import { weightLayout, type WeightSlot } from './weight_layout.js';
import { readZipEntries } from './zip.js';

/** `'keras'`: a Keras 3 `.keras` zip; `'h5'`: a legacy Keras HDF5 file. */
export type KerasFormat = 'keras' | 'h5';

/** Options of every Keras loading entry point: the loader's limits, and the Keras file's own. */
export interface KerasLoadOptions extends LoadModelOptions {
  /** The file's format; by default sniffed from its first bytes (`PK\x03\x04` zip, `\x89HDF` HDF5). */
  format?: KerasFormat;
  /**
   * Largest `model.weights.h5` a `.keras` archive may inflate to, and largest
   * `.h5` file read (default: 4 bytes per allowed parameter plus 64 MiB, i.e.
   * what `maxParameters` float32 weights need). `config.json` and
   * `metadata.json` are capped by `maxModelJsonBytes`.
   */
  maxEntryBytes?: number;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format of `bytes` from its magic number, or `undefined`. */
export function sniffFormat(bytes: Uint8Array): KerasFormat | undefined {
  const starts = (magic: number[]) => magic.every((b, i) => bytes[i] === b);
  return starts(ZIP_MAGIC) ? 'keras' : starts(HDF5_MAGIC) ? 'h5' : undefined;
}

/** The cap on the weights file, from the options. */
export function maxEntryBytes(options: KerasLoadOptions): number {
  const value = options.maxEntryBytes;
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`maxEntryBytes must be a non-negative safe integer, but received ${JSON.stringify(value)}`);
  }
  return value ?? resolveLoadLimits(options).maxParameters * 4 + 64 * 2 ** 20;
}

/**
 * Reads a Keras 3 `.keras` archive or a legacy `.h5` file held in memory and
 * returns TF.js model artifacts, verified by `verifyArtifacts` (the loader's
 * one set of checks) before they are returned.
 *
 * Order, so that each check protects the next: sizes (archive entries capped
 * before they inflate), the config's depth, the translation (only classes of
 * the layer table; nothing resolved, imported or run), the JSON-only checks
 * and the parameter cap, then every dataset's presence, dtype and shape
 * against the model the config describes, and only then the weight values.
 * On refusal nothing is left allocated.
 */
export async function decodeKeras(
  bytes: Uint8Array | ArrayBuffer,
  options: KerasLoadOptions = {},
  where = 'the Keras file',
): Promise<tf.io.ModelArtifacts> {
  return decodeKerasSource(bytes, options, where);
}

/**
 * A Keras file's bytes, or the entries of a `.keras` archive already read
 * (with {@link zipCaps}: `kerasFile` streams the archive from disk, so that
 * it never holds the archive and its inflated weights at once).
 */
export type KerasSource = Uint8Array | ArrayBuffer | ReadonlyMap<string, Uint8Array>;

/** {@link decodeKeras} of any {@link KerasSource}. */
export async function decodeKerasSource(
  source: KerasSource,
  options: KerasLoadOptions,
  where: string,
): Promise<tf.io.ModelArtifacts> {
  return verifyArtifacts(
    await readKeras(source, options, where, (weights) => joinWeights(weights, where)),
    options,
    where,
  );
}

/**
 * The model of a Keras file, built once: the checks of {@link decodeKeras} in
 * the same order, then each weight read from the file straight into the
 * array that becomes its tensor (no buffer of all the weight data, no second
 * model). What `loadModel` of a Keras handler runs, with the handler's
 * `options` and `loadModel`'s `loadOptions` both applied (the stricter of
 * each limit; the weights cap is the handler's).
 */
export async function loadKerasModel(
  source: KerasSource,
  handlerOptions: KerasLoadOptions,
  loadOptions: LoadModelOptions,
  where: string,
): Promise<tf.LayersModel> {
  const options = {
    ...handlerOptions,
    ...strictestOptions(handlerOptions, loadOptions),
    maxEntryBytes: maxEntryBytes(handlerOptions),
  };
  return readKeras(source, options, where, (weights) =>
    buildModelReadingWeights(weights.artifacts, options, where, (spec, index) => {
      const values = new Float32Array(spec.shape.reduce((n, d) => n * d, 1));
      readSlot(weights, index, values, where);
      return values;
    }),
  );
}

/**
 * A Keras file's model and the datasets of its weights, each checked against
 * the slot the config gives it (present, float32 or an allowed integer,
 * shaped as the config says), while the HDF5 file is open.
 */
interface KerasWeights {
  /** The model's artifacts, without weight data. */
  artifacts: tf.io.ModelArtifacts;
  slots: readonly WeightSlot[];
  datasets: readonly H5Dataset[];
}

/** The format of `bytes` (sniffed unless the options say it), then {@link decodeZip} or {@link decodeLegacy}. */
async function readKeras<T>(
  bytes: KerasSource,
  options: KerasLoadOptions,
  where: string,
  use: (weights: KerasWeights) => T,
): Promise<T> {
  if (bytes instanceof Map) return decodeZip(bytes, options, where, use);
  const data = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : undefined;
  if (data === undefined)
    refuse(
      'bad-archive',
      where,
      `expected a Uint8Array or ArrayBuffer of a .keras or .h5 file, but received ${typeof bytes}`,
    );
  const format = options.format ?? sniffFormat(data);
  if (format === undefined) {
    const head = [...data.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    refuse(
      'bad-archive',
      where,
      `neither a .keras zip (starts PK\\x03\\x04) nor an HDF5 file (starts \\x89HDF): it starts ${head || '(empty)'}`,
    );
  }
  return format === 'keras'
    ? decodeZip(readZipEntries(data, zipCaps(options), where), options, where, use)
    : decodeLegacy(data, options, where, use);
}

/** The entries of a `.keras` archive read, and the cap of each. */
export function zipCaps(options: KerasLoadOptions): ReadonlyMap<string, number> {
  const jsonCap = resolveLoadLimits(options).maxModelJsonBytes;
  return new Map([
    ['config.json', jsonCap],
    ['metadata.json', jsonCap],
    ['model.weights.h5', maxEntryBytes(options)],
  ]);
}

/** A `.keras` archive's model, from its entries (read with {@link zipCaps}). */
async function decodeZip<T>(
  entries: ReadonlyMap<string, Uint8Array>,
  options: KerasLoadOptions,
  where: string,
  use: (weights: KerasWeights) => T,
): Promise<T> {
  for (const name of ['config.json', 'model.weights.h5']) {
    if (!entries.has(name))
      refuse(
        'bad-archive',
        where,
        `the archive has no ${name}; a .keras file holds config.json, metadata.json and model.weights.h5`,
      );
  }
  const config = parseJson(entries.get('config.json')!, 'config.json', options, where);
  const metadata = entries.has('metadata.json')
    ? parseJson(entries.get('metadata.json')!, 'metadata.json', options, where)
    : {};
  const version = (metadata as Record<string, unknown>)['keras_version'];
  const topology = topologyFromKeras(config, where, typeof version === 'string' ? version : undefined);
  return readHdf5(entries.get('model.weights.h5')!, `${where} (model.weights.h5)`, (file) =>
    locateWeights(
      topology,
      options,
      where,
      (slot) => datasetAt(file, slot.kerasPath),
      typeof version === 'string' ? version : undefined,
      use,
      (slots) => {
        // Keras refuses a layer whose vars group holds more variables than the layer has; so do we.
        const counts = new Map<string, number>();
        for (const slot of slots) {
          const dir = slot.kerasPath.slice(0, slot.kerasPath.lastIndexOf('/'));
          counts.set(dir, (counts.get(dir) ?? 0) + 1);
        }
        for (const [dir, count] of counts) {
          const held = groupAt(file, dir)?.keys().length ?? 0;
          if (held !== count)
            refuse('weights-mismatch', where, `${dir} holds ${held} variables, but the layer has ${count}`);
        }
      },
    ),
  );
}

/** A legacy `.h5` file's model. */
async function decodeLegacy<T>(
  data: Uint8Array,
  options: KerasLoadOptions,
  where: string,
  use: (weights: KerasWeights) => T,
): Promise<T> {
  const cap = maxEntryBytes(options);
  if (data.byteLength > cap)
    refuse(
      'too-large',
      where,
      `the file is ${data.byteLength} bytes, over the ${cap}-byte cap (maxEntryBytes, by default what ` +
        `maxParameters float32 weights take): ${RAISE_MAX_PARAMETERS} or maxEntryBytes`,
    );
  return readHdf5(data, where, (file) => {
    const text = stringAttr(file, 'model_config');
    if (text === undefined)
      refuse(
        'bad-archive',
        where,
        'the HDF5 file has no model_config attribute: it is not a whole Keras model (weights-only files do not load)',
      );
    const config = parseJson(new TextEncoder().encode(text), 'model_config', options, where);
    const topology = topologyFromKeras(config, where, stringAttr(file, 'keras_version'));
    const weights = groupAt(file, 'model_weights');
    if (weights === undefined) refuse('bad-archive', where, 'the HDF5 file has no model_weights group');
    const layerNames = new Set(stringListAttr(weights, 'layer_names') ?? []);
    const namesOf = new Map<string, string[]>();
    // Keras pairs a layer's weights with its weight_names by position.
    const find = (slot: WeightSlot, position: number): H5Dataset | undefined => {
      const group = layerNames.has(slot.legacyLayer) ? groupAt(weights, slot.legacyLayer) : undefined;
      if (group === undefined) return undefined;
      if (!namesOf.has(slot.legacyLayer)) namesOf.set(slot.legacyLayer, stringListAttr(group, 'weight_names') ?? []);
      const name = namesOf.get(slot.legacyLayer)![position];
      return name === undefined ? undefined : datasetAt(group, name);
    };
    return locateWeights(topology, options, where, find, stringAttr(file, 'keras_version'), use, (slots) => {
      for (const [layer, names] of namesOf) {
        const expected = slots.filter((s) => s.legacyLayer === layer).length;
        if (names.length !== expected)
          refuse(
            'weights-mismatch',
            where,
            `layer "${layer}" lists ${names.length} weights in the file, but the model gives it ${expected}`,
          );
      }
    });
  });
}

/**
 * The weights of `topology` that `find` locates: every dataset's dtype and
 * shape are checked for all slots first, and the parameter cap against their
 * sum; then `use` reads them (the file is open until it returns).
 */
function locateWeights<T>(
  topology: JsonObject,
  options: KerasLoadOptions,
  where: string,
  find: (slot: WeightSlot, positionInLayer: number) => H5Dataset | undefined,
  kerasVersion: string | undefined,
  use: (weights: KerasWeights) => T,
  finish?: (slots: readonly WeightSlot[]) => void,
): T {
  const { slots } = weightLayout(topology, options, where);
  const limits = resolveLoadLimits(options);
  const positions = new Map<string, number>();
  const datasets = slots.map((slot) => {
    const position = positions.get(slot.legacyLayer) ?? 0;
    positions.set(slot.legacyLayer, position + 1);
    const dataset = find(slot, position);
    if (dataset === undefined)
      refuse(
        'weights-mismatch',
        where,
        `the file has no weight for "${slot.tfjsName}" (expected at ${slot.kerasPath} / ${slot.legacyLayer || '-'})`,
      );
    const meta = dataset.metadata;
    const integer = slot.integer && meta.type === 0 && meta.littleEndian === true;
    if (!integer && (meta.type !== 1 || meta.size !== 4 || meta.littleEndian !== true)) {
      refuse(
        'bad-weight-spec',
        where,
        `the weight at ${dataset.path} is ${describeType(meta)}; only little-endian float32 weights cross to TF.js`,
      );
    }
    const shape = dataset.shape ?? [];
    if (shape.length !== slot.shape.length || shape.some((d, i) => d !== slot.shape[i])) {
      refuse(
        'weights-mismatch',
        where,
        `the weight at ${dataset.path} has shape ${JSON.stringify(shape)}, but the config gives "${slot.tfjsName}" ` +
          `shape ${JSON.stringify(slot.shape)}`,
      );
    }
    return dataset;
  });
  finish?.(slots);
  const total = slots.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  if (total > limits.maxParameters)
    refuse(
      'too-many-params',
      where,
      `the weights hold ${total} numbers, over maxParameters (${limits.maxParameters}): ${RAISE_MAX_PARAMETERS}`,
    );
  return use({
    artifacts: {
      modelTopology: topology,
      weightSpecs: slots.map((s) => ({ name: s.tfjsName, shape: [...s.shape], dtype: 'float32' as const })),
      format: 'layers-model',
      generatedBy: kerasVersion === undefined ? 'keras' : `keras v${kerasVersion}`,
      convertedBy: 'tfjs-skip',
    },
    slots,
    datasets,
  });
}

/** The artifacts of `weights` with all their values in one buffer of weight data. */
function joinWeights(weights: KerasWeights, where: string): tf.io.ModelArtifacts {
  const sizes = weights.slots.map((slot) => slot.shape.reduce((a, b) => a * b, 1));
  const weightData = new Float32Array(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  sizes.forEach((size, index) => {
    readSlot(weights, index, weightData.subarray(at, at + size), where);
    at += size;
  });
  return { ...weights.artifacts, weightData: weightData.buffer };
}

/** Reads the `index`-th weight's values into `target` (float32, or an integer dataset converted). */
function readSlot(weights: KerasWeights, index: number, target: Float32Array, where: string): void {
  const dataset = weights.datasets[index];
  if (!weights.slots[index].integer) return readFloat32Into(dataset, target);
  const values = integerAsFloat32(dataset.value);
  if (!(values instanceof Float32Array) || values.length !== target.length)
    refuse('weights-size', where, `the weight at ${dataset.path} did not read as ${target.length} float32 values`);
  target.set(values);
}

/** An integer dataset's value (a scalar, or an integer typed array) as float32s; anything else unchanged. */
function integerAsFloat32(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'bigint') return Float32Array.of(Number(value));
  if (value instanceof BigInt64Array) return Float32Array.from(value, Number);
  if (value instanceof Int32Array || value instanceof Int16Array) return Float32Array.from(value);
  return value;
}

function parseJson(bytes: Uint8Array, name: string, options: KerasLoadOptions, where: string): unknown {
  const limits = resolveLoadLimits(options);
  if (bytes.byteLength > limits.maxModelJsonBytes)
    refuse(
      'too-large',
      where,
      `${name} is ${bytes.byteLength} bytes, over maxModelJsonBytes (${limits.maxModelJsonBytes})`,
    );
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    refuse('bad-json', where, `${name} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  // JSON.parse does not recurse; the translation does, so depth goes first.
  assertConfigDepth(json, limits.maxConfigDepth + 1, `${where} (${name})`);
  return json;
}

function describeType(meta: { type: number; size: number; littleEndian: boolean }): string {
  const kinds: Record<number, string> = { 0: 'integer', 1: 'float', 3: 'string' };
  return (
    `${kinds[meta.type] ?? `HDF5 class ${meta.type}`} of ${meta.size} ` +
    `bytes${meta.littleEndian ? '' : ' big-endian'}`
  );
}
