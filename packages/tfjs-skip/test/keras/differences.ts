/**
 * The two measures of a keras.applications prediction against a reference, shared by
 * src/keras/keras_apps.test.ts and float64_gap.ts.
 */

/** Largest |actual - expected| / max(1e-2, |expected|): the tolerance measure. */
export function worstRelative(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1e-2, Math.abs(expected[i])));
  return worst;
}

/** Largest |actual - expected| over the largest |expected|: the output's scale. */
export function worstOfScale(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return worst / scale;
}
