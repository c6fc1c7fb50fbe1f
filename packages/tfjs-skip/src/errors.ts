/**
 * The errors tfjs-skip raises. Each is a distinct class so callers can
 * branch on the kind of failure with `instanceof` instead of parsing
 * messages; every message quotes what was received.
 */

/** Two paths of a skip connection produce outputs that cannot be merged. */
export class SkipShapeError extends Error {
  override name = 'SkipShapeError';
}

/** A SkipConnection was given arguments or a config it cannot use. */
export class SkipConfigError extends Error {
  override name = 'SkipConfigError';
}
