import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worstOfScale, worstRelative } from '../../test/keras/differences.js';
import { type Made, makeApps } from '../../test/keras/made.js';
import { FLOAT32_FACTOR, refereePredictions, refereeStep, type StepSpec } from '../../test/keras/referee.js';

// The float64 referee that judges the keras.applications checks float32 cannot meet (keras_apps.test.ts),
// on the smallest architecture with a training step: Keras's own float32 files stand in for TF.js's, so
// what the referee must say is known without TF.js.

const ARCH = 'MobileNetV3Small';
let dir = '';
let made: Required<Made>;
let step: Omit<StepSpec, 'tfjsTrained'>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'float64-referee-'));
  [made] = makeApps(dir, [`${ARCH}:top`]) as Required<Made>[];
  const { arch, top, train, trained, trainXShape, trainX, target } = made;
  step = { arch, top, train, trained, trainXShape, trainX, target };
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`float64_gap.py referee (${ARCH} with its top)`, () => {
  it('recomputes the predictions in float64: within float32 rounding of Keras float32, not equal to it', () => {
    const y64 = refereePredictions(dir, made.name, {
      arch: made.arch,
      top: made.top,
      file: made.files[0],
      xShape: made.xShape,
      x: made.x,
    });
    expect(y64).toHaveLength(made.y.length);
    expect(worstOfScale(made.y, y64)).toBeLessThan(1e-5);
    expect(worstRelative(made.y, y64)).toBeGreaterThan(0);
  }, 300_000);

  it("gives Keras's own float32 step, standing in for TF.js's, Keras's figures, and the float64 step's loss", () => {
    const r = refereeStep(dir, made.name, { ...step, tfjsTrained: made.trained });
    expect(r.tfjs).toEqual(r.keras);
    expect(r.keras.worst).toBeLessThan(1e-2);
    expect(worstRelative([made.loss], [r.loss64])).toBeLessThan(1e-4);
    expect(r.loss64).not.toBe(made.loss);
  }, 300_000);

  it('refuses a step that did not move the weights: all of the largest update missing', () => {
    const r = refereeStep(dir, made.name, { ...step, tfjsTrained: made.train });
    expect(r.tfjs.worst).toBeGreaterThan(0.99);
    expect(r.tfjs.worst).toBeGreaterThan(FLOAT32_FACTOR * r.keras.worst);
  }, 300_000);
});
