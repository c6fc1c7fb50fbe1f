import { ConfigError } from '../errors.js';

/** `value` when it is a positive integer; otherwise an error quoting it. */
export function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${what} must be a positive integer, but received ${JSON.stringify(value)}`);
  }
  return value;
}

/** `value` when it is a number in `[0, 1)`; otherwise an error quoting it. */
export function unitRate(value: unknown, what: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ConfigError(`${what} must be a number in [0, 1), but received ${JSON.stringify(value)}`);
  }
  return value;
}

/** `value` when it is a finite number; otherwise an error quoting it. */
export function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(`${what} must be a finite number, but received ${JSON.stringify(value)}`);
  }
  return value;
}
