/** What was wrong with a model file, as a stable code callers can branch on. */
export type ModelFileProblem =
  | 'bad-path'
  | 'not-found'
  | 'too-large'
  | 'bad-json'
  | 'bad-manifest'
  | 'unsafe-path'
  | 'bad-weight-spec'
  | 'weights-size'
  | 'bad-artifacts'
  /** The config nests objects or arrays deeper than `maxConfigDepth`. */
  | 'too-deep'
  /** A key or name in the config would look something up on `Object.prototype`. */
  | 'prototype-key'
  /** A `className` that is not a registered class, or not a layer where a layer belongs. */
  | 'unknown-class'
  /** The weights, or the layer hyperparameters, imply more than `maxParameters` numbers. */
  | 'too-many-params'
  /** The manifest's weights are not exactly the model's: missing, duplicate, extra or reshaped. */
  | 'weights-mismatch'
  /** A weight holds NaN or ±Infinity and the caller did not pass `allowNonFinite: true`. */
  | 'non-finite'
  /** TF.js could not build a model from the config (bad arguments, shapes, names). */
  | 'bad-config'
  /** A Keras layer class TF.js lacks, `Lambda`, or any class outside the Keras allow-list. */
  | 'unsupported-layer'
  /** A Keras option TF.js cannot compute the same way (mixed precision, `groups`, a custom activation, ...). */
  | 'unsupported-config'
  /** Not a `.keras` zip or `.h5` HDF5 file, truncated, or missing an entry it needs. */
  | 'bad-archive';

/** A model file was refused; `problem` says why, the message says where. */
export class ModelFileError extends Error {
  /** The class's name, for stack traces and logs. */
  override name = 'ModelFileError';
  constructor(
    /** Why the file was refused, as a stable code. */
    readonly problem: ModelFileProblem,
    message: string,
  ) {
    super(message);
  }
}
