import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPython } from './python.js';

/**
 * The float64 referee of the keras.applications cross tests (`float64_gap.py referee`), shared by
 * src/keras/keras_apps.test.ts, which sends it the checks TF.js misses, and src/keras/float64_referee.test.ts.
 *
 * A check TF.js misses with no bound of its own in `KNOWN_GAPS` goes to the referee: Keras recomputes it in
 * float64 from the same weights, and TF.js passes if it lands at most this many times as far from float64 as
 * Keras's own float32 does. Through 100-800 layers float32 rounding alone moves a deep net's outputs and its
 * one-step updates past 1e-4 and 1e-2 (ResNet101: Keras's float32 step is 0.25 (top) and 0.33 (notop) from
 * float64's, TF.js's 0.61 and 0.49 from Keras's: the same order, not the same size), so no float32
 * computation can meet those tolerances against another; against float64 each float32 computation is judged
 * on its own. Two, because two float32 computations summing in other orders land at errors of the same size,
 * not the same.
 */
export const FLOAT32_FACTOR = 2;

/** Predictions to recompute: make_apps.py's NAME.keras and the input Keras predicted. */
export interface PredictionsSpec {
  arch: string;
  top: boolean;
  file: string;
  xShape: number[];
  x: number[];
}

/** A step to recompute from NAME.train.keras, and the two float32 steps' results to measure against it. */
export interface StepSpec {
  arch: string;
  top: boolean;
  train: string;
  /** Keras's float32 step (NAME.trained.keras). */
  trained: string;
  /** TF.js's weights after the same step, saved as .keras. */
  tfjsTrained: string;
  trainXShape: number[];
  trainX: number[];
  target: number[];
}

/** A step's worst weight: its update's difference from the float64 step's over the largest float64 update. */
export interface StepGap {
  worst: number;
  weight: string;
}

export interface StepRefereed {
  keras: StepGap;
  tfjs: StepGap;
  /** The float64 step's loss. */
  loss64: number;
}

/** Keras's float64 predictions of `spec.x`, flat (the spec is written to DIR/NAME.referee.json). */
export function refereePredictions(dir: string, name: string, spec: PredictionsSpec): number[] {
  return (run(dir, name, spec) as { y64: number[] }).y64;
}

/** How far Keras's float32 step and TF.js's each land from Keras's float64 step, and its loss. */
export function refereeStep(dir: string, name: string, spec: StepSpec): StepRefereed {
  return run(dir, name, spec) as StepRefereed;
}

function run(dir: string, name: string, spec: PredictionsSpec | StepSpec): unknown {
  const file = join(dir, `${name}.referee.json`);
  writeFileSync(file, JSON.stringify(spec));
  return runPython('float64_gap.py', ['referee', file]);
}
