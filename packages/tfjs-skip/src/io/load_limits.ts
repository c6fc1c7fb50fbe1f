/**
 * Denial-of-service limits of the safe loader. Every limit is checked before
 * the thing it bounds is allocated, read or recursed into.
 */
export interface LoadLimits {
  /** Largest model.json accepted, in bytes (default 64 MiB). */
  maxModelJsonBytes?: number;
  /** Deepest nesting of objects and arrays in a config (default 100). */
  maxConfigDepth?: number;
  /**
   * Most numbers (weight elements) a model may hold, counted both from the
   * weight manifest and from the layers' hyperparameters (default 2^28,
   * 1 GiB of float32).
   */
  maxParameters?: number;
  /** Highest rank of a weight (default 8). */
  maxWeightRank?: number;
}

/** Options of every loading entry point: the DoS limits, and what else to accept. */
export interface LoadModelOptions extends LoadLimits {
  /** Load weights holding NaN or ±Infinity instead of refusing them (default `false`). */
  allowNonFinite?: boolean;
}

/**
 * Every load limit, set.
 *
 * @inline
 */
export type ResolvedLoadLimits = Required<LoadLimits>;

/**
 * What a refusal over `maxParameters` adds: how to load a bigger model one trusts (ConvNeXtXLarge holds
 * 350M parameters, over the default).
 */
export const RAISE_MAX_PARAMETERS =
  'if you trust the file, raise maxParameters (the option of loadModel and the file handlers; ' +
  "the command line's --max-parameters)";

/** The limits a load applies where {@link LoadLimits} leaves one unset. */
export const DEFAULT_LOAD_LIMITS: ResolvedLoadLimits = Object.freeze({
  maxModelJsonBytes: 64 * 2 ** 20,
  maxConfigDepth: 100,
  maxParameters: 2 ** 28,
  maxWeightRank: 8,
});

/** `limits` with defaults filled in, refusing values that are not limits. */
export function resolveLoadLimits(limits: LoadLimits = {}): ResolvedLoadLimits {
  const resolved = { ...DEFAULT_LOAD_LIMITS };
  for (const key of Object.keys(DEFAULT_LOAD_LIMITS) as (keyof ResolvedLoadLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0) || !Number.isSafeInteger(value)) {
      throw new RangeError(
        `Load limit ${key} must be a non-negative safe integer, but received ${JSON.stringify(value)}`,
      );
    }
    resolved[key] = value;
  }
  return resolved;
}

/**
 * Two sets of options applied at once (a handler's own and `loadModel`'s,
 * when the handler builds the model itself): each limit the smaller of the
 * two, and non-finite weights allowed only if both allow them.
 */
export function strictestOptions(first: LoadModelOptions, second: LoadModelOptions): LoadModelOptions {
  const [a, b] = [resolveLoadLimits(first), resolveLoadLimits(second)];
  const limits = { ...a };
  for (const key of Object.keys(limits) as (keyof ResolvedLoadLimits)[]) limits[key] = Math.min(a[key], b[key]);
  return { ...limits, allowNonFinite: first.allowNonFinite === true && second.allowNonFinite === true };
}
