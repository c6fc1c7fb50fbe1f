// The gradient of a 2D max pool on NHWC float32: each dy value goes to the
// first maximum of its window (row-major; ties to the first, as on the cpu
// backend and in PyTorch). Four channels at a time: a lane-wise running
// maximum and where it was, then one scatter per lane.

/**
 * dx (zeroed here) of a max pool with windows of fh x fw (effective, i.e.
 * dilated) at strides (sh, sw), the window of output (i, j) starting at
 * (i * sh - top, j * sw - left) and clipped to the image.
 */
export function maxPoolGrad(
  x: usize,
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  dy: usize,
  oh: i32,
  ow: i32,
  fh: i32,
  fw: i32,
  sh: i32,
  sw: i32,
  top: i32,
  left: i32,
  dx: usize,
): void {
  memory.fill(dx, 0, (<usize>(n * h * w * c)) << 2);
  const vecC = c & ~3;
  const lanes = i32x4(0, 1, 2, 3);
  let o = dy;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      const r0 = max<i32>(0, i * sh - top),
        r1 = min<i32>(h, i * sh - top + fh);
      for (let j = 0; j < ow; j++) {
        const c0 = max<i32>(0, j * sw - left),
          c1 = min<i32>(w, j * sw - left + fw);
        for (let d = 0; d < vecC; d += 4) {
          let best = f32x4.splat(-Infinity);
          let where = i32x4.splat(-1);
          for (let r = r0; r < r1; r++) {
            for (let col = c0; col < c1; col++) {
              const p = ((b * h + r) * w + col) * c + d;
              const v = v128.load(x + ((<usize>p) << 2));
              const better = f32x4.gt(v, best);
              best = v128.bitselect(v, best, better);
              where = v128.bitselect(i32x4.add(i32x4.splat(p), lanes), where, better);
            }
          }
          const g = v128.load(o + ((<usize>d) << 2));
          scatter(dx, i32x4.extract_lane(where, 0), f32x4.extract_lane(g, 0));
          scatter(dx, i32x4.extract_lane(where, 1), f32x4.extract_lane(g, 1));
          scatter(dx, i32x4.extract_lane(where, 2), f32x4.extract_lane(g, 2));
          scatter(dx, i32x4.extract_lane(where, 3), f32x4.extract_lane(g, 3));
        }
        for (let d = vecC; d < c; d++) {
          let best: f32 = -Infinity;
          let where = -1;
          for (let r = r0; r < r1; r++) {
            for (let col = c0; col < c1; col++) {
              const p = ((b * h + r) * w + col) * c + d;
              const v = load<f32>(x + ((<usize>p) << 2));
              if (v > best) {
                best = v;
                where = p;
              }
            }
          }
          scatter(dx, where, load<f32>(o + ((<usize>d) << 2)));
        }
        o += (<usize>c) << 2;
      }
    }
  }
}

@inline function scatter(dx: usize, at: i32, g: f32): void {
  if (at >= 0) {
    const p = dx + ((<usize>at) << 2);
    store<f32>(p, load<f32>(p) + g);
  }
}

/**
 * dx (zeroed here) of an average pool with windows of fh x fw at strides
 * (sh, sw), the window of output (i, j) starting at (i * sh - top, j * sw -
 * left) and clipped to the image: every dy value added to each pixel of its
 * window, then dx times `scale` (TF.js divides by the whole window,
 * 1 / (fh * fw), padding included). Four channels at a time.
 */
export function avgPoolGrad(
  dy: usize,
  n: i32,
  oh: i32,
  ow: i32,
  c: i32,
  fh: i32,
  fw: i32,
  sh: i32,
  sw: i32,
  top: i32,
  left: i32,
  scale: f32,
  dx: usize,
  h: i32,
  w: i32,
): void {
  const size = <usize>(n * h * w * c);
  memory.fill(dx, 0, size << 2);
  const vecC = c & ~3;
  let o = dy;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      const r0 = max<i32>(0, i * sh - top),
        r1 = min<i32>(h, i * sh - top + fh);
      for (let j = 0; j < ow; j++) {
        const c0 = max<i32>(0, j * sw - left),
          c1 = min<i32>(w, j * sw - left + fw);
        for (let r = r0; r < r1; r++) {
          for (let col = c0; col < c1; col++) {
            const p = dx + ((<usize>(((b * h + r) * w + col) * c)) << 2);
            for (let d = 0; d < vecC; d += 4) {
              const q = (<usize>d) << 2;
              v128.store(p + q, f32x4.add(v128.load(p + q), v128.load(o + q)));
            }
            for (let d = vecC; d < c; d++) {
              const q = (<usize>d) << 2;
              store<f32>(p + q, load<f32>(p + q) + load<f32>(o + q));
            }
          }
        }
        o += (<usize>c) << 2;
      }
    }
  }
  if (scale == 1) return;
  const s = f32x4.splat(scale);
  const vecEnd = size & ~3;
  for (let k: usize = 0; k < vecEnd; k += 4) {
    const p = dx + (k << 2);
    v128.store(p, f32x4.mul(v128.load(p), s));
  }
  for (let k = vecEnd; k < size; k++) {
    const p = dx + (k << 2);
    store<f32>(p, load<f32>(p) * scale);
  }
}
