// Element-wise passes over float32 tensors: binary ops between operands of
// the same shape or with a scalar, and the unary ops of ReLU layers and
// batch-norm moments. The backend's are SIMD too; these exist so that the
// kernel threads can split them (each thread a contiguous range).
import { apply1, apply4, CHANNEL_ADD, CHANNEL_DIV, CHANNEL_MUL, CHANNEL_SUB } from './channelwise';

/** How `binary`'s operands pair up: same shape, or b (or a) one value. */
export const PAIR_SAME: i32 = 0;
export const PAIR_B_SCALAR: i32 = 1;
export const PAIR_A_SCALAR: i32 = 2;

@inline function binaryOp(op: i32, a: usize, b: usize, count: i32, pair: i32, y: usize): void {
  const bytes = (<usize>count) << 2,
    vecBytes = (<usize>(count & ~3)) << 2;
  let i: usize = 0;
  if (pair == PAIR_SAME) {
    for (; i + 64 <= vecBytes; i += 64) {
      const pa = a + i,
        pb = b + i,
        py = y + i;
      v128.store(py, apply4(op, v128.load(pa), v128.load(pb)));
      v128.store(py, apply4(op, v128.load(pa, 16), v128.load(pb, 16)), 16);
      v128.store(py, apply4(op, v128.load(pa, 32), v128.load(pb, 32)), 32);
      v128.store(py, apply4(op, v128.load(pa, 48), v128.load(pb, 48)), 48);
    }
    for (; i < vecBytes; i += 16) v128.store(y + i, apply4(op, v128.load(a + i), v128.load(b + i)));
    for (; i < bytes; i += 4) store<f32>(y + i, apply1(op, load<f32>(a + i), load<f32>(b + i)));
  } else if (pair == PAIR_B_SCALAR) {
    const s = load<f32>(b),
      v = f32x4.splat(s);
    for (; i + 64 <= vecBytes; i += 64) {
      const pa = a + i,
        py = y + i;
      v128.store(py, apply4(op, v128.load(pa), v));
      v128.store(py, apply4(op, v128.load(pa, 16), v), 16);
      v128.store(py, apply4(op, v128.load(pa, 32), v), 32);
      v128.store(py, apply4(op, v128.load(pa, 48), v), 48);
    }
    for (; i < vecBytes; i += 16) v128.store(y + i, apply4(op, v128.load(a + i), v));
    for (; i < bytes; i += 4) store<f32>(y + i, apply1(op, load<f32>(a + i), s));
  } else {
    const s = load<f32>(a),
      v = f32x4.splat(s);
    for (; i < vecBytes; i += 16) v128.store(y + i, apply4(op, v, v128.load(b + i)));
    for (; i < bytes; i += 4) store<f32>(y + i, apply1(op, s, load<f32>(b + i)));
  }
}

/**
 * y[i] = a[i] (op) b[i] for `count` floats, where with PAIR_B_SCALAR b (with
 * PAIR_A_SCALAR a) is one value used for every i; op is one of the CHANNEL_ ops.
 */
export function binary(op: i32, a: usize, b: usize, count: i32, pair: i32, y: usize): void {
  if (op == CHANNEL_ADD) binaryOp(CHANNEL_ADD, a, b, count, pair, y);
  else if (op == CHANNEL_SUB) binaryOp(CHANNEL_SUB, a, b, count, pair, y);
  else if (op == CHANNEL_MUL) binaryOp(CHANNEL_MUL, a, b, count, pair, y);
  else binaryOp(CHANNEL_DIV, a, b, count, pair, y);
}

export const UNARY_RELU: i32 = 0;
export const UNARY_STEP: i32 = 1;
export const UNARY_SQUARE: i32 = 2;

@inline function unary4(op: i32, v: v128, alpha: v128): v128 {
  // max(0, v) as tfjs-core computes it: NaN stays NaN, -0 becomes +0 (pmax keeps v unless v < 0; + 0 clears the sign).
  if (op == UNARY_RELU) return f32x4.add(f32x4.pmax(v, f32x4.splat(0)), f32x4.splat(0));
  if (op == UNARY_SQUARE) return f32x4.mul(v, v);
  // Step: 1 above zero, alpha elsewhere, NaN for NaN (as tfjs-core's kernels give).
  const s = v128.bitselect(f32x4.splat(1), alpha, f32x4.gt(v, f32x4.splat(0)));
  return v128.bitselect(v, s, f32x4.ne(v, v));
}

@inline function unary1(op: i32, v: f32, alpha: f32): f32 {
  if (op == UNARY_RELU) return v < 0 ? 0 : v + 0;
  if (op == UNARY_SQUARE) return v * v;
  return v != v ? v : v > 0 ? 1 : alpha;
}

@inline function unaryOp(op: i32, x: usize, count: i32, alpha: f32, y: usize): void {
  const bytes = (<usize>count) << 2,
    vecBytes = (<usize>(count & ~3)) << 2;
  const a = f32x4.splat(alpha);
  let i: usize = 0;
  for (; i + 64 <= vecBytes; i += 64) {
    const px = x + i,
      py = y + i;
    v128.store(py, unary4(op, v128.load(px), a));
    v128.store(py, unary4(op, v128.load(px, 16), a), 16);
    v128.store(py, unary4(op, v128.load(px, 32), a), 32);
    v128.store(py, unary4(op, v128.load(px, 48), a), 48);
  }
  for (; i < vecBytes; i += 16) v128.store(y + i, unary4(op, v128.load(x + i), a));
  for (; i < bytes; i += 4) store<f32>(y + i, unary1(op, load<f32>(x + i), alpha));
}

/** y[i] = relu(x[i]), step(x[i]) (1 above zero, else alpha) or x[i]^2 for `count` floats. */
export function unary(op: i32, x: usize, count: i32, alpha: f32, y: usize): void {
  if (op == UNARY_RELU) unaryOp(UNARY_RELU, x, count, alpha, y);
  else if (op == UNARY_STEP) unaryOp(UNARY_STEP, x, count, alpha, y);
  else unaryOp(UNARY_SQUARE, x, count, alpha, y);
}
