import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeAtomic } from './write_atomic.js';
import { ModelFileError } from '../io/model_file_error.js';
import { assertSafeManifestPath } from '../io/manifest.js';
import { checkModelArtifacts } from '../io/check_artifacts.js';
import { assertConfigDepth } from '../io/config_depth.js';
import { isRecord } from '../io/config_field.js';
import { resolveLoadLimits, type LoadModelOptions, type ResolvedLoadLimits } from '../io/load_limits.js';
import { verifyArtifacts } from '../io/verify_artifacts.js';

/**
 * Options of {@link fileSystem}: the loader's limits (`maxModelJsonBytes`,
 * default 64 MiB; `maxConfigDepth`, `maxParameters`, `maxWeightRank`), all
 * checked before any weight file is read, and `allowNonFinite` (default
 * `false`: weights holding NaN or ±Infinity are refused).
 */
export type FileSystemOptions = LoadModelOptions;

/** A `fileSystem` handler, which names its model.json for error messages. */
export type FileSystemHandler = tf.io.IOHandler & {
  /** The model.json the handler reads or writes. */
  readonly modelPath: string;
};

const MODEL_JSON = 'model.json';
const WEIGHTS_FILE = /^weights\.[0-9a-f]{16}\.bin$/;
/** Temporary files `writeAtomic` leaves when a save is killed before its rename. */
const TEMP_FILE = /^(model\.json|weights\.[0-9a-f]{16}\.bin)\.[0-9a-f]{12}\.tmp$/;

/**
 * A `tf.io` handler that saves and loads a model in a folder on disk, in
 * Node, without `@tensorflow/tfjs-node`.
 *
 * `modelPath` is the folder (`model.json` inside it) or the path of the JSON
 * file itself. Saving writes the weights to a content-named file
 * (`weights.<hash>.bin`) and then replaces `model.json` by an atomic rename,
 * so a crash mid-save leaves the previous model loadable, never a mix.
 * Loading refuses weight paths that would leave the model's folder, runs
 * every check of `checkModelArtifacts` (depth, names, classes, sizes)
 * before reading any weight file, then every check of `loadModel` on the
 * weights (exact bytes, finite values, names and shapes equal to the
 * model's): `tf.loadLayersModel(fileSystem(dir))` refuses a hostile folder
 * with the same `ModelFileError` as `loadModelFromDir(dir)`, leaving no
 * tensor behind.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { skipConnection } from 'tfjs-skip';
 * import { fileSystem } from 'tfjs-skip/node';
 *
 * const dir = join(mkdtempSync(join(tmpdir(), 'tfjs-skip-')), 'model');
 * const model = tf.sequential({
 *   layers: [skipConnection({ inputShape: [4], mainPath: [tf.layers.dense({ units: 4 })] })],
 * });
 * await model.save(fileSystem(dir));
 * const loaded = await tf.loadLayersModel(fileSystem(join(dir, 'model.json')));
 * loaded.countParams(); // => 20
 * ```
 */
export function fileSystem(modelPath: string, options: FileSystemOptions = {}): FileSystemHandler {
  if (typeof modelPath !== 'string' || modelPath.length === 0) {
    throw new ModelFileError(
      'bad-path',
      `fileSystem() needs a folder or model.json path, but received ${JSON.stringify(modelPath)}`,
    );
  }
  const isJson = modelPath.endsWith('.json');
  const dir = path.resolve(isJson ? path.dirname(modelPath) : modelPath);
  const jsonPath = isJson ? path.resolve(modelPath) : path.join(dir, MODEL_JSON);
  const limits = resolveLoadLimits(options);
  return {
    modelPath: jsonPath,
    save: (artifacts) => save(dir, jsonPath, artifacts),
    load: async () => verifyArtifacts(await load(dir, jsonPath, limits), options, jsonPath),
  };
}

async function save(dir: string, jsonPath: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new ModelFileError(
      'bad-artifacts',
      'fileSystem() saves models whose topology is JSON; received a binary (GraphDef) topology',
    );
  }
  await fs.mkdir(dir, { recursive: true });
  const weights = Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
  const weightsName = `weights.${createHash('sha256').update(weights).digest('hex').slice(0, 16)}.bin`;
  const previous = await referencedFiles(jsonPath);
  await writeAtomic(path.join(dir, weightsName), weights);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.trainingConfig != null && { trainingConfig: artifacts.trainingConfig }),
    ...(artifacts.userDefinedMetadata != null && { userDefinedMetadata: artifacts.userDefinedMetadata }),
  };
  await writeAtomic(jsonPath, Buffer.from(JSON.stringify(modelJson)));
  // The new model.json is in place: weights files only the old one used go.
  // A folder whose model is `model.json` belongs to that one model, so the
  // weights and temporary files of saves killed before they finished go too
  // (one writer per folder: a concurrent save's files would be removed).
  const ownsFolder = path.basename(jsonPath) === MODEL_JSON;
  const names = ownsFolder ? await fs.readdir(dir) : previous;
  for (const name of names) {
    const stale = (WEIGHTS_FILE.test(name) && name !== weightsName) || (ownsFolder && TEMP_FILE.test(name));
    if (stale) await fs.rm(path.join(dir, name), { force: true });
  }
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

async function load(dir: string, jsonPath: string, limits: ResolvedLoadLimits): Promise<tf.io.ModelArtifacts> {
  const realJson = await fs.realpath(jsonPath).catch(() => {
    throw new ModelFileError('not-found', `No model at ${jsonPath}: the file does not exist or cannot be read`);
  });
  const realDir = await fs.realpath(dir);
  if (!isInside(realDir, realJson)) {
    throw new ModelFileError(
      'unsafe-path',
      `${jsonPath} resolves (through a symlink) to ${realJson}, outside the model folder`,
    );
  }
  const stat = await fs.stat(realJson);
  if (!stat.isFile()) throw new ModelFileError('not-found', `${jsonPath} is not a regular file`);
  if (stat.size > limits.maxModelJsonBytes) {
    throw new ModelFileError(
      'too-large',
      `${jsonPath} is ${stat.size} bytes, over the ${limits.maxModelJsonBytes}-byte limit (maxModelJsonBytes)`,
    );
  }
  const modelJson = parseModelJson(await fs.readFile(realJson, 'utf8'), jsonPath, limits);
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const expected = checkModelArtifacts(
    { modelTopology: modelJson.modelTopology, weightSpecs: specs, userDefinedMetadata: modelJson.userDefinedMetadata },
    limits,
    jsonPath,
  );
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const files: string[] = [];
    let size = 0;
    for (const file of manifest.flatMap((group) => group.paths)) {
      const real = await containedPath(realDir, file, jsonPath);
      const fileStat = await fs.stat(real);
      if (!fileStat.isFile())
        throw new ModelFileError(
          'not-found',
          `${jsonPath} lists the weights file "${file}", which is not a regular file`,
        );
      files.push(real);
      size += fileStat.size;
    }
    // Sizes are compared before reading, so a huge file is never read.
    if (size !== expected) {
      throw new ModelFileError(
        'weights-size',
        `${jsonPath} describes ${expected} bytes of weights, but its weight files hold ${size}`,
      );
    }
    const data = Buffer.concat(await Promise.all(files.map((f) => fs.readFile(f))));
    if (data.byteLength !== expected) {
      throw new ModelFileError(
        'weights-size',
        `${jsonPath} describes ${expected} bytes of weights, but its weight files held ${data.byteLength} when read`,
      );
    }
    return [specs, data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)];
  });
}

function parseModelJson(text: string, jsonPath: string, limits: ResolvedLoadLimits): tf.io.ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError('bad-json', `${jsonPath} is not valid JSON: ${(e as Error).message}`);
  }
  // JSON.parse does not recurse; everything after it may, so depth goes first.
  assertConfigDepth(json, limits.maxConfigDepth + 1, jsonPath);
  const record = json as Record<string, unknown> | null;
  if (record == null || typeof record !== 'object' || record['modelTopology'] == null) {
    throw new ModelFileError('bad-json', `${jsonPath} has no modelTopology; it is not a TF.js model.json`);
  }
  const manifest = record['weightsManifest'] ?? [];
  if (
    !Array.isArray(manifest) ||
    !manifest.every((g: unknown) => isRecord(g) && Array.isArray(g.paths) && Array.isArray(g.weights))
  ) {
    throw new ModelFileError(
      'bad-manifest',
      `${jsonPath} has a weightsManifest that is not a list of {paths, weights}`,
    );
  }
  return { ...(record as unknown as tf.io.ModelJSON), weightsManifest: manifest as tf.io.WeightsManifestConfig };
}

/** The real path of `file` inside `realDir`, or a refusal naming it. */
async function containedPath(realDir: string, file: unknown, jsonPath: string): Promise<string> {
  assertSafeManifestPath(file, jsonPath);
  const full = path.join(realDir, file);
  const real = await fs.realpath(full).catch(() => {
    throw new ModelFileError('not-found', `${jsonPath} lists the weights file "${file}", which does not exist`);
  });
  if (!isInside(realDir, real)) {
    throw new ModelFileError(
      'unsafe-path',
      `${jsonPath} lists the weights file "${file}", which resolves outside the model folder`,
    );
  }
  return real;
}

function isInside(realDir: string, real: string): boolean {
  const rel = path.relative(realDir, real);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** Weight files named by the model.json at `jsonPath`, if one exists. */
async function referencedFiles(jsonPath: string): Promise<string[]> {
  try {
    const json = JSON.parse(await fs.readFile(jsonPath, 'utf8')) as tf.io.ModelJSON;
    return (json.weightsManifest ?? []).flatMap((g) => g.paths).filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}
