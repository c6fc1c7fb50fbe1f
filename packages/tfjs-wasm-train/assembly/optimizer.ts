// Optimizer updates in one pass per variable, where TF.js's optimizers make
// a dozen element-wise ops (each a kernel call, a pass and a new tensor).

/**
 * Adam (Kingma & Ba 2015) as tfjs-core's AdamOptimizer computes it, for
 * `count` floats:
 *   m' = m b1 + g (1 - b1),  v' = v b2 + g^2 (1 - b2),
 *   value' = (m' / c1) / (sqrt(v' / c2) + epsilon) (-rate) + value,
 * with c1 = 1 - b1^t and c2 = 1 - b2^t (the bias corrections), written to
 * outValue, outM and outV.
 */
export function adamUpdate(
  value: usize,
  m: usize,
  v: usize,
  g: usize,
  count: i32,
  beta1: f32,
  beta2: f32,
  oneMinusBeta1: f32,
  oneMinusBeta2: f32,
  epsilon: f32,
  rate: f32,
  c1: f32,
  c2: f32,
  outValue: usize,
  outM: usize,
  outV: usize,
): void {
  const b1 = f32x4.splat(beta1),
    b2 = f32x4.splat(beta2);
  const d1 = f32x4.splat(oneMinusBeta1),
    d2 = f32x4.splat(oneMinusBeta2);
  const eps = f32x4.splat(epsilon),
    lr = f32x4.splat(-rate);
  const k1 = f32x4.splat(c1),
    k2 = f32x4.splat(c2);
  const bytes = (<usize>count) << 2,
    vecBytes = (<usize>(count & ~3)) << 2;
  let i: usize = 0;
  for (; i < vecBytes; i += 16) {
    const gi = v128.load(g + i);
    const mi = f32x4.add(f32x4.mul(v128.load(m + i), b1), f32x4.mul(gi, d1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + i), b2), f32x4.mul(f32x4.mul(gi, gi), d2));
    const step = f32x4.div(f32x4.div(mi, k1), f32x4.add(f32x4.sqrt(f32x4.div(vi, k2)), eps));
    v128.store(outValue + i, f32x4.add(f32x4.mul(step, lr), v128.load(value + i)));
    v128.store(outM + i, mi);
    v128.store(outV + i, vi);
  }
  for (; i < bytes; i += 4) {
    const gi = load<f32>(g + i);
    const mi = load<f32>(m + i) * beta1 + gi * oneMinusBeta1;
    const vi = load<f32>(v + i) * beta2 + gi * gi * oneMinusBeta2;
    const step = mi / c1 / (sqrt<f32>(vi / c2) + epsilon);
    store<f32>(outValue + i, step * -rate + load<f32>(value + i));
    store<f32>(outM + i, mi);
    store<f32>(outV + i, vi);
  }
}
