// Per-channel operations on NHWC float32 tensors seen as rows x cols
// (cols = channels, innermost): what batch normalization and bias
// gradients do to every activation. Four channels per SIMD vector; a
// channel count that is not a multiple of 4 leaves a scalar tail.

/** Rows summed in float32 before each block's sums go into the float64 totals. */
const BLOCK: i32 = 32;

/**
 * out[j] = scale * sum over rows of x[r, j], in float32 (`out`). Each block
 * of 32 rows is summed in float32 SIMD lanes, the blocks' sums in float64
 * (`acc`: cols doubles of scratch).
 */
export function columnSums(x: usize, rows: i32, cols: i32, scale: f64, out: usize, acc: usize): void {
  memory.fill(acc, 0, (<usize>cols) << 3);
  const vecCols = cols & ~3;
  const rowBytes = (<usize>cols) << 2;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min<i32>(rows, r0 + BLOCK);
    for (let j = 0; j < vecCols; j += 4) {
      let s = f32x4.splat(0);
      let p = x + <usize>r0 * rowBytes + ((<usize>j) << 2);
      for (let r = r0; r < r1; r++) {
        s = f32x4.add(s, v128.load(p));
        p += rowBytes;
      }
      addToTotals(acc + ((<usize>j) << 3), s);
    }
    for (let j = vecCols; j < cols; j++) {
      let s: f64 = 0;
      for (let r = r0; r < r1; r++) s += <f64>load<f32>(x + <usize>r * rowBytes + ((<usize>j) << 2));
      store<f64>(acc + ((<usize>j) << 3), load<f64>(acc + ((<usize>j) << 3)) + s);
    }
  }
  for (let j = 0; j < cols; j++) store<f32>(out + ((<usize>j) << 2), <f32>(load<f64>(acc + ((<usize>j) << 3)) * scale));
}

/** y[r, j] = (x[r, j] - m[j]) * a[j] + b[j]: batch normalization with a = scale / sqrt(variance + epsilon). */
export function affine(x: usize, rows: i32, cols: i32, m: usize, a: usize, b: usize, y: usize): void {
  const vecCols = cols & ~3;
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes,
      yr = y + <usize>r * rowBytes;
    for (let j = 0; j < vecCols; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(
        yr + o,
        f32x4.add(f32x4.mul(f32x4.sub(v128.load(xr + o), v128.load(m + o)), v128.load(a + o)), v128.load(b + o)),
      );
    }
    for (let j = vecCols; j < cols; j++) {
      const o = (<usize>j) << 2;
      store<f32>(yr + o, (load<f32>(xr + o) - load<f32>(m + o)) * load<f32>(a + o) + load<f32>(b + o));
    }
  }
}

// The op codes of channelBinary, exported as globals: the build writes their
// values into src/generated/simd_module.ts, where CHANNEL_OPS reads them.
export const CHANNEL_ADD: i32 = 0;
export const CHANNEL_SUB: i32 = 1;
export const CHANNEL_MUL: i32 = 2;
export const CHANNEL_DIV: i32 = 3;
const ADD = CHANNEL_ADD;
const SUB = CHANNEL_SUB;
const MUL = CHANNEL_MUL;
const DIV = CHANNEL_DIV;

/** p (op) q on four lanes. */
@inline export function apply4(op: i32, p: v128, q: v128): v128 {
  if (op == ADD) return f32x4.add(p, q);
  if (op == SUB) return f32x4.sub(p, q);
  if (op == MUL) return f32x4.mul(p, q);
  return f32x4.div(p, q);
}

/** p (op) q. */
@inline export function apply1(op: i32, p: f32, q: f32): f32 {
  if (op == ADD) return p + q;
  if (op == SUB) return p - q;
  if (op == MUL) return p * q;
  return p / q;
}

@inline function channelOp(op: i32, x: usize, rows: i32, cols: i32, v: usize, y: usize, vFirst: bool): void {
  if (vFirst) rowsOp(op, x, rows, cols, v, y, true);
  else rowsOp(op, x, rows, cols, v, y, false);
}

@inline function rowsOp(op: i32, x: usize, rows: i32, cols: i32, v: usize, y: usize, vFirst: bool): void {
  const vecCols = cols & ~3;
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes,
      yr = y + <usize>r * rowBytes;
    for (let j = 0; j < vecCols; j += 4) {
      const o = (<usize>j) << 2;
      const p = v128.load(xr + o),
        q = v128.load(v + o);
      v128.store(yr + o, vFirst ? apply4(op, q, p) : apply4(op, p, q));
    }
    for (let j = vecCols; j < cols; j++) {
      const o = (<usize>j) << 2;
      const p = load<f32>(xr + o),
        q = load<f32>(v + o);
      store<f32>(yr + o, vFirst ? apply1(op, q, p) : apply1(op, p, q));
    }
  }
}

/** y[r, j] = x[r, j] (op) v[j], or v[j] (op) x[r, j] with vFirst; op is ADD, SUB, MUL or DIV. */
export function channelBinary(op: i32, x: usize, rows: i32, cols: i32, v: usize, y: usize, vFirst: bool): void {
  if (op == ADD) channelOp(ADD, x, rows, cols, v, y, vFirst);
  else if (op == SUB) channelOp(SUB, x, rows, cols, v, y, vFirst);
  else if (op == MUL) channelOp(MUL, x, rows, cols, v, y, vFirst);
  else channelOp(DIV, x, rows, cols, v, y, vFirst);
}

/**
 * The two sums of a batch-norm gradient, in one pass over dy and x:
 * sumDy[j] = sum over rows of dy[r, j] and sumDyXmu[j] = sum of
 * dy[r, j] * (x[r, j] - m[j]), in float32 lanes over blocks of 32 rows and
 * float64 totals (`acc`: 2 * cols doubles of scratch). Outputs are float32.
 */
export function batchNormGradSums(
  dy: usize,
  x: usize,
  rows: i32,
  cols: i32,
  m: usize,
  sumDy: usize,
  sumDyXmu: usize,
  acc: usize,
): void {
  const accDy = acc,
    accDyXmu = acc + ((<usize>cols) << 3);
  memory.fill(acc, 0, (<usize>cols) << 4);
  const vecCols = cols & ~3;
  const rowBytes = (<usize>cols) << 2;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min<i32>(rows, r0 + BLOCK);
    for (let j = 0; j < vecCols; j += 4) {
      const o = (<usize>j) << 2;
      const mj = v128.load(m + o);
      let s = f32x4.splat(0),
        t = f32x4.splat(0);
      let p = <usize>r0 * rowBytes + o;
      for (let r = r0; r < r1; r++) {
        const d = v128.load(dy + p);
        s = f32x4.add(s, d);
        t = f32x4.add(t, f32x4.mul(d, f32x4.sub(v128.load(x + p), mj)));
        p += rowBytes;
      }
      addToTotals(accDy + ((<usize>j) << 3), s);
      addToTotals(accDyXmu + ((<usize>j) << 3), t);
    }
    for (let j = vecCols; j < cols; j++) {
      const o = (<usize>j) << 2;
      const mj = load<f32>(m + o);
      let s: f64 = 0,
        t: f64 = 0;
      for (let r = r0; r < r1; r++) {
        const d = load<f32>(dy + <usize>r * rowBytes + o);
        s += <f64>d;
        t += <f64>(d * (load<f32>(x + <usize>r * rowBytes + o) - mj));
      }
      store<f64>(accDy + ((<usize>j) << 3), load<f64>(accDy + ((<usize>j) << 3)) + s);
      store<f64>(accDyXmu + ((<usize>j) << 3), load<f64>(accDyXmu + ((<usize>j) << 3)) + t);
    }
  }
  for (let j = 0; j < cols; j++) {
    store<f32>(sumDy + ((<usize>j) << 2), <f32>load<f64>(accDy + ((<usize>j) << 3)));
    store<f32>(sumDyXmu + ((<usize>j) << 2), <f32>load<f64>(accDyXmu + ((<usize>j) << 3)));
  }
}

/** Adds four float32 lanes to four float64 totals at a. */
@inline function addToTotals(a: usize, s: v128): void {
  v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(s)));
  v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(v128.shuffle<u32>(s, s, 2, 3, 0, 1))), 16);
}

/** y[r, j] = v[j] * scale for every row: the gradient of a sum or mean over leading axes. */
export function broadcastRows(v: usize, rows: i32, cols: i32, scale: f32, y: usize): void {
  const vecCols = cols & ~3;
  const rowBytes = (<usize>cols) << 2;
  const s = f32x4.splat(scale);
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rowBytes;
    for (let j = 0; j < vecCols; j += 4) {
      const o = (<usize>j) << 2;
      v128.store(yr + o, f32x4.mul(v128.load(v + o), s));
    }
    for (let j = vecCols; j < cols; j++) store<f32>(yr + ((<usize>j) << 2), load<f32>(v + ((<usize>j) << 2)) * scale);
  }
}

/**
 * dx[r, j] = dy[r, j] * a[j] + (x[r, j] - m[j]) * b[j] + c[j]: the input
 * gradient of batch normalization on the batch's own statistics, whose
 * per-channel factors come from the sums of batchNormGradSums.
 */
export function batchNormTrainDx(
  dy: usize,
  x: usize,
  rows: i32,
  cols: i32,
  m: usize,
  a: usize,
  b: usize,
  c: usize,
  dx: usize,
): void {
  const vecCols = cols & ~3;
  const rowBytes = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    for (let j = 0; j < vecCols; j += 4) {
      const o = (<usize>j) << 2;
      const xmu = f32x4.sub(v128.load(x + off + o), v128.load(m + o));
      const v = f32x4.add(f32x4.mul(v128.load(dy + off + o), v128.load(a + o)), f32x4.mul(xmu, v128.load(b + o)));
      v128.store(dx + off + o, f32x4.add(v, v128.load(c + o)));
    }
    for (let j = vecCols; j < cols; j++) {
      const o = (<usize>j) << 2;
      const xmu = load<f32>(x + off + o) - load<f32>(m + o);
      store<f32>(dx + off + o, load<f32>(dy + off + o) * load<f32>(a + o) + xmu * load<f32>(b + o) + load<f32>(c + o));
    }
  }
}
