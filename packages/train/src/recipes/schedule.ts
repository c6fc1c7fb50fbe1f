/** The learning-rate schedules `--schedule` takes. */
export const SCHEDULES = ['constant', 'step', 'cosine', 'one-cycle'] as const;
/** One of {@link SCHEDULES}. */
export type ScheduleKind = (typeof SCHEDULES)[number];

/** A schedule laid out in optimizer steps (counted from 0 over the whole run). */
export interface ScheduleSpec {
  /** The schedule's shape. */
  readonly kind: ScheduleKind;
  /**
   * The peak rate: reached at the end of the warm-up, kept by `constant`,
   * the start of `step` and `cosine`, the top of `one-cycle`.
   */
  readonly baseRate: number;
  /** Steps of the whole run. */
  readonly totalSteps: number;
  /** Steps of linear warm-up (for `one-cycle`, its rising phase). */
  readonly warmupSteps: number;
  /** `step`: the steps at which the rate is multiplied by `gamma`. */
  readonly milestones: readonly number[];
  /** `step`: the factor applied at each milestone. */
  readonly gamma: number;
}

/**
 * `one-cycle` starts its rise at `baseRate / ONE_CYCLE_DIV` and ends at
 * `baseRate / (ONE_CYCLE_DIV * ONE_CYCLE_FINAL_DIV)` (PyTorch's `OneCycleLR` defaults).
 */
export const ONE_CYCLE_DIV = 25;
/** `one-cycle`'s end rate is its start rate divided by this (see {@link ONE_CYCLE_DIV}). */
export const ONE_CYCLE_FINAL_DIV = 1e4;

/**
 * The learning rate of step `step` (from 0), a pure function of the spec:
 * a resumed run that knows its step gets the same rate as an uninterrupted one.
 *
 * - warm-up (every kind but `one-cycle`): `baseRate * (step + 1) / warmupSteps` for `step < warmupSteps`;
 * - `constant`: `baseRate`;
 * - `step`: `baseRate * gamma ** (milestones at or before step)`;
 * - `cosine`: `baseRate * (1 + cos(pi * t)) / 2` with `t = (step - warmupSteps) / (totalSteps - warmupSteps)`;
 * - `one-cycle` (Smith and Topin 2019): linear from `baseRate / 25` to `baseRate` over the warm-up
 *   (`t = step / warmupSteps`), then cosine down to `baseRate / 25e4` at the last step.
 *
 * @example
 * ```ts
 * import { learningRateAt } from 'tfjs-skip-train/recipes';
 * const cosine = { kind: 'cosine', baseRate: 0.003, totalSteps: 100, warmupSteps: 0, milestones: [], gamma: 0.1 };
 * learningRateAt(cosine, 0); // => 0.003
 * learningRateAt(cosine, 50); // => 0.0015
 * const step = { ...cosine, kind: 'step', milestones: [50, 75] };
 * learningRateAt(step, 80).toPrecision(3); // => '0.0000300'
 * ```
 */
export function learningRateAt(spec: ScheduleSpec, step: number): number {
  const { kind, baseRate, totalSteps, warmupSteps } = spec;
  if (kind === 'one-cycle') {
    const start = baseRate / ONE_CYCLE_DIV;
    const end = start / ONE_CYCLE_FINAL_DIV;
    if (step < warmupSteps) return start + (baseRate - start) * (step / warmupSteps);
    const t = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - 1 - warmupSteps));
    return end + ((baseRate - end) * (1 + Math.cos(Math.PI * t))) / 2;
  }
  if (step < warmupSteps) return (baseRate * (step + 1)) / warmupSteps;
  if (kind === 'constant') return baseRate;
  if (kind === 'step') return baseRate * spec.gamma ** spec.milestones.filter((m) => m <= step).length;
  const t = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  return (baseRate * (1 + Math.cos(Math.PI * t))) / 2;
}
