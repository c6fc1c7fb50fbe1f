import type * as tf from '@tensorflow/tfjs';
import { assertConfigDepth } from './config_depth.js';
import { assertSafeNames } from './config_names.js';
import type { ResolvedLoadLimits } from './load_limits.js';
import { expectedWeightBytes } from './manifest.js';
import { ModelFileError } from './model_file_error.js';
import { assertParameterBudget } from './param_estimate.js';

/**
 * Everything the loader can check from a model's JSON alone, before any
 * weight byte is read and before anything is built or allocated, in an order
 * where each check protects the next: the topology is a JSON object; nothing
 * nests deeper than `maxConfigDepth` (checked without recursion); no key or
 * name reaches `Object.prototype` and every class is registered, with layers
 * where layers belong; the hyperparameters and the weight manifest stay under
 * `maxParameters`; the weight specs are well formed.
 *
 * Returns the number of weight bytes the manifest describes.
 */
export function checkModelArtifacts(
  artifacts: tf.io.ModelArtifacts,
  limits: ResolvedLoadLimits,
  where: string,
): number {
  const topology: unknown = artifacts?.modelTopology;
  if (topology === null || typeof topology !== 'object' || Array.isArray(topology) || topology instanceof ArrayBuffer) {
    throw new ModelFileError(
      'bad-artifacts',
      `${where}: modelTopology must be a JSON object (a layers model), but received ${describe(topology)}`,
    );
  }
  const specs: unknown = artifacts.weightSpecs ?? [];
  if (!Array.isArray(specs)) {
    throw new ModelFileError(
      'bad-manifest',
      `${where}: the weight specs must be a list, but received ${describe(specs)}`,
    );
  }
  assertConfigDepth(
    { topology, specs, metadata: artifacts.userDefinedMetadata ?? null },
    limits.maxConfigDepth + 1,
    where,
  );
  assertSafeNames(topology, where);
  assertParameterBudget(topology, limits.maxParameters, where);
  return expectedWeightBytes(specs as tf.io.WeightsManifestEntry[], where, limits);
}

function describe(value: unknown): string {
  if (value instanceof ArrayBuffer) return 'binary data (a graph model)';
  return value === null || typeof value !== 'object'
    ? `${typeof value} ${JSON.stringify(value)}`
    : Array.isArray(value)
      ? 'an array'
      : 'an object';
}
