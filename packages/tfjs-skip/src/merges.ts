import * as tf from '@tensorflow/tfjs';
import { dimsCompatible, type Shape } from './shapes.js';

export interface Merge {
  /** The merged shape, or `null` when the two shapes cannot be merged. */
  outputShape(main: Shape, skip: Shape): Shape | null;
  /** What the two shapes must satisfy, for error messages. */
  readonly requirement: string;
  apply(main: tf.Tensor, skip: tf.Tensor): tf.Tensor;
}

function elementwise(op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): Merge {
  return {
    requirement: 'outputs of the same shape',
    outputShape: (main, skip) =>
      main.length === skip.length && main.every((d, i) => dimsCompatible(d, skip[i] ?? null))
        ? main.map((d, i) => d ?? skip[i] ?? null)
        : null,
    apply: op,
  };
}

const concat: Merge = {
  requirement: 'outputs that agree on every axis but the last',
  outputShape(main, skip) {
    const rank = main.length;
    if (rank !== skip.length || rank === 0) return null;
    for (let i = 0; i < rank - 1; i++) if (!dimsCompatible(main[i] ?? null, skip[i] ?? null)) return null;
    const a = main[rank - 1];
    const b = skip[rank - 1];
    const last = a == null || b == null ? null : a + b;
    return [...main.slice(0, rank - 1).map((d, i) => d ?? skip[i] ?? null), last];
  },
  apply: (main, skip) => tf.concat([main, skip], -1),
};

/**
 * The merges, by name: the one list of them. Everything else (the names, the
 * `how` type, the error messages, the ONNX nodes, the tests on both sides)
 * is derived from it.
 */
const MERGES = {
  add: elementwise((a, b) => tf.add(a, b)),
  concat,
  multiply: elementwise((a, b) => tf.mul(a, b)),
  average: elementwise((a, b) => tf.mul(tf.add(a, b), 0.5)),
  maximum: elementwise((a, b) => tf.maximum(a, b)),
  minimum: elementwise((a, b) => tf.minimum(a, b)),
} as const satisfies Record<string, Merge>;

/**
 * One of {@link MERGE_NAMES}: a SkipConnection's `how`.
 *
 * @useDeclaredType
 */
export type MergeName = keyof typeof MERGES;

/**
 * How a SkipConnection combines its mainPath and skipPath outputs, in the
 * merge table's order: `add` first, the default.
 *
 * A closed set of names, never user functions, so that a saved model
 * describes its merge as data and loads without running any code.
 */
export const MERGE_NAMES: readonly MergeName[] = Object.freeze(Object.keys(MERGES) as MergeName[]);

/** True when `how` names a merge (an own entry, never an inherited key). */
export function isMergeName(how: unknown): how is MergeName {
  return typeof how === 'string' && Object.hasOwn(MERGES, how);
}

/** The merge called `how`; callers validate the name with `isMergeName` first. */
export function getMerge(how: MergeName): Merge {
  return MERGES[how];
}
