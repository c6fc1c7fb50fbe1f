// Convolutions of any kernel size, stride and padding (dilation 1) as matrix
// products over gathered patches (im2col), for the shapes Winograd does not
// serve: strided convolutions, the stem's few input channels, 1x1
// projections. Output pixels go through in chunks of `rows`, so the
// gathered patches stay in cache.
//
//   forward:        Y[p, :] = patch(p) (1 x K) * W (K x co)      K = fh * fw * ci
//   input gradient: cols = dY[p, :] (1 x co) * W^T (co x K), each column
//                   added back onto the input pixel it came from (col2im)
import { gemm } from './gemm';

/** n floats from src to dst (n >= 0): four at a time, then one at a time. */
@inline function copyFloats(dst: usize, src: usize, n: i32): void {
  const bytes = (<usize>n) << 2,
    vecBytes = (<usize>(n & ~3)) << 2;
  let k: usize = 0;
  for (; k < vecBytes; k += 16) v128.store(dst + k, v128.load(src + k));
  for (; k < bytes; k += 4) store<f32>(dst + k, load<f32>(src + k));
}

/** dst += src over n floats (n >= 0). */
@inline function addFloats(dst: usize, src: usize, n: i32): void {
  const bytes = (<usize>n) << 2,
    vecBytes = (<usize>(n & ~3)) << 2;
  let k: usize = 0;
  for (; k < vecBytes; k += 16) v128.store(dst + k, f32x4.add(v128.load(dst + k), v128.load(src + k)));
  for (; k < bytes; k += 4) store<f32>(dst + k, load<f32>(dst + k) + load<f32>(src + k));
}

/**
 * Row p of out = the K = fh * fw * ci input values under output pixel p (0
 * outside the image), for p in [p0, p0 + cnt). A filter row's taps read
 * neighbouring pixels, so each filter row is one contiguous run of x.
 */
function gatherPatches(
  x: usize,
  h: i32,
  w: i32,
  ci: i32,
  oh: i32,
  ow: i32,
  fh: i32,
  fw: i32,
  sh: i32,
  sw: i32,
  padTop: i32,
  padLeft: i32,
  p0: i32,
  cnt: i32,
  out: usize,
): void {
  const pixelBytes = (<usize>ci) << 2;
  const perImage = oh * ow;
  let dst = out;
  for (let p = p0; p < p0 + cnt; p++) {
    const b = p / perImage,
      rest = p % perImage;
    const y0 = (rest / ow) * sh - padTop,
      x0 = (rest % ow) * sw - padLeft;
    const lo = max<i32>(0, -x0),
      hi = min<i32>(fw, w - x0); // taps inside the image: [lo, hi)
    for (let kh = 0; kh < fh; kh++) {
      const yy = y0 + kh;
      if (yy < 0 || yy >= h || hi <= lo) {
        memory.fill(dst, 0, <usize>fw * pixelBytes);
      } else {
        if (lo > 0) memory.fill(dst, 0, <usize>lo * pixelBytes);
        copyFloats(
          dst + <usize>lo * pixelBytes,
          x + ((<usize>(((b * h + yy) * w + x0 + lo) * ci)) << 2),
          (hi - lo) * ci,
        );
        if (hi < fw) memory.fill(dst + <usize>hi * pixelBytes, 0, <usize>(fw - hi) * pixelBytes);
      }
      dst += <usize>fw * pixelBytes;
    }
  }
}

/** Whether the patch of output pixel p is x's pixel p itself (1x1, stride 1, no padding): no gathering needed. */
@inline function pointwise(fh: i32, fw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32): bool {
  return fh == 1 && fw == 1 && sh == 1 && sw == 1 && padTop == 0 && padLeft == 0;
}

/** Bytes of scratch memory conv2dPatches and conv2dPatchesInputGrad need for chunks of `rows` output pixels. */
export function patchScratchBytes(k: i32, rows: i32): i32 {
  return rows * ((k + 3) & ~3) * 4;
}

/**
 * y [n, oh, ow, co] = the convolution of x [n, h, w, ci] with g [fh, fw, ci,
 * co] (+ bias, relu); co a multiple of 4. scratch: patchScratchBytes(fh * fw * ci, rows).
 */
export function conv2dPatches(
  x: usize,
  n: i32,
  h: i32,
  w: i32,
  ci: i32,
  g: usize,
  fh: i32,
  fw: i32,
  sh: i32,
  sw: i32,
  padTop: i32,
  padLeft: i32,
  co: i32,
  bias: usize,
  relu: bool,
  y: usize,
  oh: i32,
  ow: i32,
  scratch: usize,
  rows: i32,
): void {
  const k = fh * fw * ci,
    pixels = n * oh * ow;
  const direct = pointwise(fh, fw, sh, sw, padTop, padLeft) && oh == h && ow == w;
  const rowBytes = (<usize>co) << 2;
  for (let p0 = 0; p0 < pixels; p0 += rows) {
    const cnt = min<i32>(rows, pixels - p0);
    const out = y + <usize>p0 * rowBytes;
    if (direct) {
      gemm(cnt, co, k, x + ((<usize>(p0 * ci)) << 2), k, 1, g, co, out, co, false);
    } else {
      gatherPatches(x, h, w, ci, oh, ow, fh, fw, sh, sw, padTop, padLeft, p0, cnt, scratch);
      gemm(cnt, co, k, scratch, k, 1, g, co, out, co, false);
    }
    if (bias != 0 || relu) addBiasRelu(out, cnt, co, bias, relu);
  }
}

/** rows x co at y: + bias (when given), then max(0, .) when relu. */
function addBiasRelu(y: usize, rows: i32, co: i32, bias: usize, relu: bool): void {
  const zero = f32x4.splat(0);
  const rowBytes = (<usize>co) << 2;
  for (let r = 0; r < rows; r++) {
    const row = y + <usize>r * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      let v = v128.load(row + c);
      if (bias != 0) v = f32x4.add(v, v128.load(bias + c));
      if (relu) v = f32x4.max(v, zero);
      v128.store(row + c, v);
    }
  }
}

/**
 * dx [n, h, w, ci] (overwritten) of the convolution conv2dPatches computes,
 * from dy [n, oh, ow, co] and gt = g transposed to [co, kp]: gt[c, j] =
 * g[j, c] for j < K = fh * fw * ci, 0 for K <= j < kp, kp = K rounded up to
 * a multiple of 4. scratch: patchScratchBytes(K, rows).
 */
export function conv2dPatchesInputGrad(
  dy: usize,
  n: i32,
  oh: i32,
  ow: i32,
  co: i32,
  gt: usize,
  fh: i32,
  fw: i32,
  sh: i32,
  sw: i32,
  padTop: i32,
  padLeft: i32,
  dx: usize,
  h: i32,
  w: i32,
  ci: i32,
  scratch: usize,
  rows: i32,
): void {
  const k = fh * fw * ci,
    kp = (k + 3) & ~3,
    pixels = n * oh * ow;
  const direct = pointwise(fh, fw, sh, sw, padTop, padLeft) && oh == h && ow == w && kp == ci;
  if (direct) {
    // dx is dy * g^T itself.
    for (let p0 = 0; p0 < pixels; p0 += rows) {
      const cnt = min<i32>(rows, pixels - p0);
      gemm(cnt, kp, co, dy + ((<usize>(p0 * co)) << 2), co, 1, gt, kp, dx + ((<usize>(p0 * ci)) << 2), ci, false);
    }
    return;
  }
  memory.fill(dx, 0, (<usize>(n * h * w * ci)) << 2);
  for (let p0 = 0; p0 < pixels; p0 += rows) {
    const cnt = min<i32>(rows, pixels - p0);
    gemm(cnt, kp, co, dy + ((<usize>(p0 * co)) << 2), co, 1, gt, kp, scratch, kp, false);
    scatterPatches(scratch, kp, dx, h, w, ci, oh, ow, fh, fw, sh, sw, padTop, padLeft, p0, cnt);
  }
}

/** The inverse of gatherPatches, adding: each row's K values onto the input pixels they came from. */
function scatterPatches(
  cols: usize,
  kp: i32,
  dx: usize,
  h: i32,
  w: i32,
  ci: i32,
  oh: i32,
  ow: i32,
  fh: i32,
  fw: i32,
  sh: i32,
  sw: i32,
  padTop: i32,
  padLeft: i32,
  p0: i32,
  cnt: i32,
): void {
  const pixelBytes = (<usize>ci) << 2;
  const perImage = oh * ow;
  for (let p = p0; p < p0 + cnt; p++) {
    const b = p / perImage,
      rest = p % perImage;
    const y0 = (rest / ow) * sh - padTop,
      x0 = (rest % ow) * sw - padLeft;
    const lo = max<i32>(0, -x0),
      hi = min<i32>(fw, w - x0);
    if (hi <= lo) continue;
    const src = cols + ((<usize>((p - p0) * kp)) << 2);
    for (let kh = 0; kh < fh; kh++) {
      const yy = y0 + kh;
      if (yy < 0 || yy >= h) continue;
      addFloats(
        dx + ((<usize>(((b * h + yy) * w + x0 + lo) * ci)) << 2),
        src + <usize>(kh * fw + lo) * pixelBytes,
        (hi - lo) * ci,
      );
    }
  }
}

/**
 * dw [fh, fw, ci, co] (overwritten) of the convolution conv2dPatches
 * computes, from x and dy: the gathered patches (P x K) transposed times dy
 * (P x co), a chunk of `rows` output pixels at a time; co a multiple of 4.
 * One product over all K = fh * fw * ci rows at once, where a product per
 * filter tap has only ci: with few input channels (a stem's one to three)
 * those are too few rows to fill the SIMD register tiles.
 */
export function conv2dPatchesFilterGrad(
  x: usize,
  n: i32,
  h: i32,
  w: i32,
  ci: i32,
  dy: usize,
  oh: i32,
  ow: i32,
  co: i32,
  fh: i32,
  fw: i32,
  sh: i32,
  sw: i32,
  padTop: i32,
  padLeft: i32,
  dw: usize,
  scratch: usize,
  rows: i32,
): void {
  const k = fh * fw * ci,
    pixels = n * oh * ow;
  if (pixels == 0) {
    memory.fill(dw, 0, (<usize>(k * co)) << 2);
    return;
  }
  for (let p0 = 0; p0 < pixels; p0 += rows) {
    const cnt = min<i32>(rows, pixels - p0);
    gatherPatches(x, h, w, ci, oh, ow, fh, fw, sh, sw, padTop, padLeft, p0, cnt, scratch);
    gemm(k, co, cnt, scratch, 1, k, dy + ((<usize>(p0 * co)) << 2), co, dw, co, p0 > 0);
  }
}
