import { InvalidArgumentError } from 'commander';

/** Commander argument parser for whole numbers >= 1, with a one-line error quoting the value. */
export function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected a whole number >= 1, received ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** Commander argument parser for whole numbers >= 0 (seeds). */
export function nonNegativeInt(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed)) {
    throw new InvalidArgumentError(`expected a whole number >= 0, received ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** Commander argument parser for a positive number (learning rates). */
export function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) {
    throw new InvalidArgumentError(`expected a number > 0, received ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** Collects repeated or space-separated values of a variadic numeric option. */
export function positiveInts(value: string, previous: number[] | undefined): number[] {
  return [...(previous ?? []), positiveInt(value)];
}

/** Commander argument parser for a number >= 0 (weight decay, warm-up epochs). */
export function nonNegativeNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0) {
    throw new InvalidArgumentError(`expected a number >= 0, received ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** Commander argument parser for a number in [0, 1) (momentum, label smoothing). */
export function fraction(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed >= 1) {
    throw new InvalidArgumentError(`expected a number in [0, 1), received ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** Commander argument parser for a comma-separated list of positive numbers (milestones in epochs). */
export function positiveNumberList(value: string): number[] {
  const parts = value.split(',');
  try {
    return parts.map((p) => positiveNumber(p.trim()));
  } catch {
    throw new InvalidArgumentError(
      `expected positive numbers separated by commas, e.g. 10,15, received ${JSON.stringify(value)}`,
    );
  }
}
