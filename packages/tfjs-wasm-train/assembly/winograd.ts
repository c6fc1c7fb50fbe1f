// Winograd F(4x4, 3x3) convolutions (Lavin & Gray 2016) on NHWC float32
// tensors, for the three convolutions of training a 3x3 stride-1 layer:
// the forward pass, the input gradient (a forward pass of the flipped,
// transposed filter) and the filter gradient.
//
// Every 4x4 output tile is A^T [ (G g G^T) . (B^T d B) ] A, where d is the
// 6x6 input patch under the tile: 36 elementwise products summed over input
// channels, i.e. 36 matrix products (gemm.ts) instead of 9 for each 4 output
// pixels: 2.25x fewer multiplications than a direct convolution. The
// transforms run on 4 channels at a time (NHWC keeps channels contiguous).
//
// Transformed tiles are processed in chunks of `tc` tiles so that the
// scratch memory stays small and in cache. Element xi = 6 r + s of a
// transformed tile is row r, column s; chunk data is laid out [36][tile][channel].
// Channel counts must be multiples of 4 (the TypeScript side checks).
import { gemm } from './gemm';

const XI: i32 = 36;

/**
 * Floats from one transformed element's block of a chunk to the next: the
 * chunk's tiles, plus one cache line, so that the 36 blocks a tile's transform
 * touches do not all fall on the same cache set (at power-of-two strides
 * they did: 4 KB aliasing made the transforms up to 2.5x slower).
 */
@inline function xiFloats(cnt: i32, c: i32): i32 {
  return cnt * c + 16;
}

/** Bytes of scratch memory conv3x3 and conv3x3Filter need. */
export function scratchBytes(ci: i32, co: i32, tc: i32, filterGrad: bool): i32 {
  const fixed = 16 * (max<i32>(ci, co) + co + XI + XI * 4) + 64;
  const chunk = XI * (xiFloats(tc, ci) + xiFloats(tc, co)) * 4;
  return fixed + chunk + (filterGrad ? XI * ci * co * 4 : 0);
}

// Scratch regions of the running call (set by useScratch; module globals, so
// that nothing is allocated: this module shares the backend's memory).
let sZero: usize = 0; // max(ci, co) zeros: what padding reads
let sDump: usize = 0; // co floats: where outputs outside the image go
let sAddr: usize = 0; // 36 addresses of one tile's pixels
let sTemp: usize = 0; // 36 vectors between the two passes of a transform
let sV: usize = 0; // input tiles [36][tc][ci]
let sM: usize = 0; // output tiles [36][tc][co]
let sDu: usize = 0; // filter-gradient accumulator [36][ci][co]

@inline function align16(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}

function useScratch(base: usize, ci: i32, co: i32, tc: i32): void {
  const widest = <usize>max<i32>(ci, co);
  sZero = align16(base);
  sDump = align16(sZero + 4 * widest);
  sAddr = align16(sDump + 4 * <usize>co);
  sTemp = align16(sAddr + 4 * <usize>XI);
  sV = align16(sTemp + 16 * <usize>XI);
  sM = sV + 4 * <usize>(XI * xiFloats(tc, ci));
  sDu = sM + 4 * <usize>(XI * xiFloats(tc, co));
  memory.fill(sZero, 0, 4 * widest);
}

/** The 36 pixel addresses of the 6x6 patch at (y0, x0) of image img; outside the image: the zero buffer. */
@inline function patchAddresses(x: usize, h: i32, w: i32, c: i32, img: i32, y0: i32, x0: i32, size: i32, zero: usize, addr: usize): void {
  for (let r = 0; r < size; r++) {
    const yy = y0 + r;
    for (let s = 0; s < size; s++) {
      const xx = x0 + s;
      const inside = yy >= 0 && yy < h && xx >= 0 && xx < w;
      store<usize>(addr + ((r * size + s) << 2), inside ? x + (<usize>(((img * h + yy) * w + xx) * c) << 2) : zero);
    }
  }
}

/** V = B^T d B for tiles [t0, t0 + cnt) of the output grid (tilesH x tilesW per image). */
function inputTiles(
  x: usize, h: i32, w: i32, c: i32, padTop: i32, padLeft: i32,
  tilesH: i32, tilesW: i32, t0: i32, cnt: i32,
): void {
  const perImage = tilesH * tilesW;
  const xiStride = <usize>xiFloats(cnt, c) << 2;
  for (let t = 0; t < cnt; t++) {
    const g = t0 + t, img = g / perImage, rest = g % perImage;
    patchAddresses(x, h, w, c, img, (rest / tilesW) * 4 - padTop, (rest % tilesW) * 4 - padLeft, 6, sZero, sAddr);
    const out = sV + (<usize>(t * c) << 2);
    for (let cc: usize = 0; cc < <usize>(c << 2); cc += 16) {
      // Columns: P = B^T d.
      for (let j = 0; j < 6; j++) {
        const d0 = v128.load(load<usize>(sAddr + ((0 + j) << 2)) + cc);
        const d1 = v128.load(load<usize>(sAddr + ((6 + j) << 2)) + cc);
        const d2 = v128.load(load<usize>(sAddr + ((12 + j) << 2)) + cc);
        const d3 = v128.load(load<usize>(sAddr + ((18 + j) << 2)) + cc);
        const d4 = v128.load(load<usize>(sAddr + ((24 + j) << 2)) + cc);
        const d5 = v128.load(load<usize>(sAddr + ((30 + j) << 2)) + cc);
        const p = sTemp + (j << 4);
        bt(d0, d1, d2, d3, d4, d5, p, 96);
      }
      // Rows: V = P B.
      for (let r = 0; r < 6; r++) {
        const p = sTemp + <usize>(r * 96);
        const e0 = v128.load(p), e1 = v128.load(p, 16), e2 = v128.load(p, 32);
        const e3 = v128.load(p, 48), e4 = v128.load(p, 64), e5 = v128.load(p, 80);
        bt(e0, e1, e2, e3, e4, e5, out + cc + <usize>(r * 6) * xiStride, xiStride);
      }
    }
  }
}

/** The six rows of B^T times (d0..d5), stored `stride` bytes apart. */
@inline function bt(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, p: usize, stride: usize): void {
  const four = f32x4.splat(4), five = f32x4.splat(5), two = f32x4.splat(2);
  v128.store(p, f32x4.add(f32x4.sub(f32x4.mul(four, d0), f32x4.mul(five, d2)), d4));
  const a = f32x4.add(d3, d4), b = f32x4.add(d1, d2);
  v128.store(p + stride, f32x4.sub(a, f32x4.mul(four, b)));
  const c = f32x4.sub(d4, d3), d = f32x4.sub(d1, d2);
  v128.store(p + 2 * stride, f32x4.add(c, f32x4.mul(four, d)));
  const e = f32x4.sub(d4, d2), f = f32x4.mul(two, f32x4.sub(d3, d1));
  v128.store(p + 3 * stride, f32x4.add(e, f));
  v128.store(p + 4 * stride, f32x4.sub(e, f));
  v128.store(p + 5 * stride, f32x4.add(f32x4.sub(f32x4.mul(four, d1), f32x4.mul(five, d3)), d5));
}

/** y = A^T M A (+ bias, relu) for tiles [t0, t0 + cnt), written where they fall inside [oh, ow]. */
function outputTiles(
  y: usize, oh: i32, ow: i32, c: i32, bias: usize, relu: bool,
  tilesH: i32, tilesW: i32, t0: i32, cnt: i32,
): void {
  const perImage = tilesH * tilesW;
  const xiStride = <usize>xiFloats(cnt, c) << 2;
  const zero = f32x4.splat(0);
  for (let t = 0; t < cnt; t++) {
    const g = t0 + t, img = g / perImage, rest = g % perImage;
    const y0 = (rest / tilesW) * 4, x0 = (rest % tilesW) * 4;
    for (let r = 0; r < 4; r++) {
      for (let q = 0; q < 4; q++) {
        const inside = y0 + r < oh && x0 + q < ow;
        store<usize>(sAddr + ((r * 4 + q) << 2), inside ? y + (<usize>(((img * oh + y0 + r) * ow + x0 + q) * c) << 2) : sDump);
      }
    }
    const src = sM + (<usize>(t * c) << 2);
    for (let cc: usize = 0; cc < <usize>(c << 2); cc += 16) {
      // Columns: Q = A^T M (4 x 6).
      for (let j = 0; j < 6; j++) {
        const p = src + cc + <usize>j * xiStride;
        at(
          v128.load(p), v128.load(p + 6 * xiStride), v128.load(p + 12 * xiStride),
          v128.load(p + 18 * xiStride), v128.load(p + 24 * xiStride), v128.load(p + 30 * xiStride),
          sTemp + (j << 4), 96,
        );
      }
      const b = bias != 0 ? v128.load(bias + cc) : zero;
      // Rows: Y = Q A (4 x 4).
      for (let r = 0; r < 4; r++) {
        const p = sTemp + <usize>(r * 96);
        at(v128.load(p), v128.load(p, 16), v128.load(p, 32), v128.load(p, 48), v128.load(p, 64), v128.load(p, 80), p, 16);
        for (let q = 0; q < 4; q++) {
          let v = f32x4.add(v128.load(p + (q << 4)), b);
          if (relu) v = f32x4.max(v, zero);
          v128.store(load<usize>(sAddr + ((r * 4 + q) << 2)) + cc, v);
        }
      }
    }
  }
}

/** The four rows of A^T times (m0..m5), stored `stride` bytes apart (in place is fine: all are read first). */
@inline function at(m0: v128, m1: v128, m2: v128, m3: v128, m4: v128, m5: v128, p: usize, stride: usize): void {
  const s12 = f32x4.add(m1, m2), d12 = f32x4.sub(m1, m2);
  const s34 = f32x4.add(m3, m4), d34 = f32x4.sub(m3, m4);
  v128.store(p, f32x4.add(f32x4.add(m0, s12), s34));
  v128.store(p + stride, f32x4.add(d12, f32x4.mul(f32x4.splat(2), d34)));
  v128.store(p + 2 * stride, f32x4.add(s12, f32x4.mul(f32x4.splat(4), s34)));
  v128.store(p + 3 * stride, f32x4.add(f32x4.add(d12, f32x4.mul(f32x4.splat(8), d34)), m5));
}

/** dZ = A dY A^T for tiles [t0, t0 + cnt) of dy (zero outside [oh, ow]), into sM. */
function outputGradTiles(
  dy: usize, oh: i32, ow: i32, c: i32,
  tilesH: i32, tilesW: i32, t0: i32, cnt: i32,
): void {
  const perImage = tilesH * tilesW;
  const xiStride = <usize>xiFloats(cnt, c) << 2;
  for (let t = 0; t < cnt; t++) {
    const g = t0 + t, img = g / perImage, rest = g % perImage;
    patchAddresses(dy, oh, ow, c, img, (rest / tilesW) * 4, (rest % tilesW) * 4, 4, sZero, sAddr);
    const out = sM + (<usize>(t * c) << 2);
    for (let cc: usize = 0; cc < <usize>(c << 2); cc += 16) {
      // Columns: P = A dY (6 x 4).
      for (let j = 0; j < 4; j++) {
        a6(
          v128.load(load<usize>(sAddr + (j << 2)) + cc),
          v128.load(load<usize>(sAddr + ((4 + j) << 2)) + cc),
          v128.load(load<usize>(sAddr + ((8 + j) << 2)) + cc),
          v128.load(load<usize>(sAddr + ((12 + j) << 2)) + cc),
          sTemp + (j << 4), 64,
        );
      }
      // Rows: dZ = P A^T (6 x 6).
      for (let r = 0; r < 6; r++) {
        const p = sTemp + <usize>(r * 64);
        a6(v128.load(p), v128.load(p, 16), v128.load(p, 32), v128.load(p, 48), out + cc + <usize>(r * 6) * xiStride, xiStride);
      }
    }
  }
}

/** The six rows of A times (y0..y3), stored `stride` bytes apart. */
@inline function a6(y0: v128, y1: v128, y2: v128, y3: v128, p: usize, stride: usize): void {
  const e = f32x4.add(y0, y2), o = f32x4.add(y1, y3);
  const e4 = f32x4.add(y0, f32x4.mul(f32x4.splat(4), y2));
  const o4 = f32x4.add(f32x4.mul(f32x4.splat(2), y1), f32x4.mul(f32x4.splat(8), y3));
  v128.store(p, y0);
  v128.store(p + stride, f32x4.add(e, o));
  v128.store(p + 2 * stride, f32x4.sub(e, o));
  v128.store(p + 3 * stride, f32x4.add(e4, o4));
  v128.store(p + 4 * stride, f32x4.sub(e4, o4));
  v128.store(p + 5 * stride, y3);
}

/**
 * U = G g G^T, as [36][cin][cout]. With `flip`, the filter of the input
 * gradient: g'[kh, kw, a, b] = g[2 - kh, 2 - kw, b, a] (cin = co, cout = ci).
 */
export function filterTransform(g: usize, ci: i32, co: i32, flip: bool, u: usize): void {
  const cin = flip ? co : ci, cout = flip ? ci : co;
  const plane = <usize>(cin * cout) << 2;
  for (let a = 0; a < cin; a++) {
    for (let b = 0; b < cout; b++) {
      // t = G g (6 x 3), column by column; then U = t G^T, row by row.
      let t00: f32 = 0, t01: f32 = 0, t02: f32 = 0, t10: f32 = 0, t11: f32 = 0, t12: f32 = 0;
      let t20: f32 = 0, t21: f32 = 0, t22: f32 = 0, t30: f32 = 0, t31: f32 = 0, t32: f32 = 0;
      let t40: f32 = 0, t41: f32 = 0, t42: f32 = 0, t50: f32 = 0, t51: f32 = 0, t52: f32 = 0;
      for (let col = 0; col < 3; col++) {
        const g0 = tap(g, ci, co, flip, 0, col, a, b);
        const g1 = tap(g, ci, co, flip, 1, col, a, b);
        const g2 = tap(g, ci, co, flip, 2, col, a, b);
        const v0 = g0 / 4;
        const v1 = -(g0 + g1 + g2) / 6;
        const v2 = -(g0 - g1 + g2) / 6;
        const v3 = g0 / 24 + g1 / 12 + g2 / 6;
        const v4 = g0 / 24 - g1 / 12 + g2 / 6;
        const v5 = g2;
        if (col == 0) { t00 = v0; t10 = v1; t20 = v2; t30 = v3; t40 = v4; t50 = v5; }
        else if (col == 1) { t01 = v0; t11 = v1; t21 = v2; t31 = v3; t41 = v4; t51 = v5; }
        else { t02 = v0; t12 = v1; t22 = v2; t32 = v3; t42 = v4; t52 = v5; }
      }
      const p = u + (<usize>(a * cout + b) << 2);
      gRow(t00, t01, t02, p, plane);
      gRow(t10, t11, t12, p + 6 * plane, plane);
      gRow(t20, t21, t22, p + 12 * plane, plane);
      gRow(t30, t31, t32, p + 18 * plane, plane);
      gRow(t40, t41, t42, p + 24 * plane, plane);
      gRow(t50, t51, t52, p + 30 * plane, plane);
    }
  }
}

@inline function tap(g: usize, ci: i32, co: i32, flip: bool, kh: i32, kw: i32, a: i32, b: i32): f32 {
  return flip
    ? load<f32>(g + (<usize>(((2 - kh) * 3 + 2 - kw) * ci * co + b * co + a) << 2))
    : load<f32>(g + (<usize>((kh * 3 + kw) * ci * co + a * co + b) << 2));
}

/** The six entries of G (g0, g1, g2), stored `stride` bytes apart. */
@inline function gRow(g0: f32, g1: f32, g2: f32, p: usize, stride: usize): void {
  store<f32>(p, g0 / 4);
  store<f32>(p + stride, -(g0 + g1 + g2) / 6);
  store<f32>(p + 2 * stride, -(g0 - g1 + g2) / 6);
  store<f32>(p + 3 * stride, g0 / 24 + g1 / 12 + g2 / 6);
  store<f32>(p + 4 * stride, g0 / 24 - g1 / 12 + g2 / 6);
  store<f32>(p + 5 * stride, g2);
}

/** dg = G^T dU G: from [36][ci][co] to the filter layout [3][3][ci][co]. */
function filterGradTransform(du: usize, ci: i32, co: i32, dg: usize): void {
  const plane = <usize>(ci * co) << 2;
  for (let i: usize = 0; i < plane; i += 4) {
    // Rows of dU first (r fixed: G^T over s), then columns.
    let w00: f32 = 0, w01: f32 = 0, w02: f32 = 0;
    let w10: f32 = 0, w11: f32 = 0, w12: f32 = 0;
    let w20: f32 = 0, w21: f32 = 0, w22: f32 = 0;
    for (let r = 0; r < 6; r++) {
      const p = du + i + <usize>(r * 6) * plane;
      const u0 = load<f32>(p), u1 = load<f32>(p + plane), u2 = load<f32>(p + 2 * plane);
      const u3 = load<f32>(p + 3 * plane), u4 = load<f32>(p + 4 * plane), u5 = load<f32>(p + 5 * plane);
      const s0 = u0 / 4 - (u1 + u2) / 6 + (u3 + u4) / 24;
      const s1 = (u2 - u1) / 6 + (u3 - u4) / 12;
      const s2 = (u3 + u4) / 6 - (u1 + u2) / 6 + u5;
      // Column weights of G^T row r: (1/4, -1/6, -1/6, 1/24, 1/24, 0), (0, -1/6, 1/6, 1/12, -1/12, 0), (0, -1/6, -1/6, 1/6, 1/6, 1).
      const k0: f32 = r == 0 ? 0.25 : r == 1 || r == 2 ? -1.0 / 6 : r == 3 || r == 4 ? 1.0 / 24 : 0;
      const k1: f32 = r == 1 ? -1.0 / 6 : r == 2 ? 1.0 / 6 : r == 3 ? 1.0 / 12 : r == 4 ? -1.0 / 12 : 0;
      const k2: f32 = r == 1 || r == 2 ? -1.0 / 6 : r == 3 || r == 4 ? 1.0 / 6 : r == 5 ? 1 : 0;
      w00 += k0 * s0; w01 += k0 * s1; w02 += k0 * s2;
      w10 += k1 * s0; w11 += k1 * s1; w12 += k1 * s2;
      w20 += k2 * s0; w21 += k2 * s1; w22 += k2 * s2;
    }
    const p = dg + i;
    store<f32>(p, w00); store<f32>(p + plane, w01); store<f32>(p + 2 * plane, w02);
    store<f32>(p + 3 * plane, w10); store<f32>(p + 4 * plane, w11); store<f32>(p + 5 * plane, w12);
    store<f32>(p + 6 * plane, w20); store<f32>(p + 7 * plane, w21); store<f32>(p + 8 * plane, w22);
  }
}

/**
 * y[n, oh, ow, co] = sum over 3x3 taps and ci of x[n, oh + kh - padTop, ow + kw - padLeft, ci] * g[kh, kw, ci, co]
 * (+ bias, relu), with u = filterTransform(g). Pixels outside x read as zero.
 */
export function conv3x3(
  x: usize, n: i32, h: i32, w: i32, ci: i32, padTop: i32, padLeft: i32,
  u: usize, co: i32, bias: usize, relu: bool,
  y: usize, oh: i32, ow: i32, scratch: usize, tc: i32,
): void {
  useScratch(scratch, ci, co, tc);
  const tilesH = (oh + 3) / 4, tilesW = (ow + 3) / 4, tiles = n * tilesH * tilesW;
  for (let t0 = 0; t0 < tiles; t0 += tc) {
    const cnt = min<i32>(tc, tiles - t0);
    inputTiles(x, h, w, ci, padTop, padLeft, tilesH, tilesW, t0, cnt);
    for (let xi = 0; xi < XI; xi++) {
      gemm(
        cnt, co, ci,
        sV + (<usize>(xi * xiFloats(cnt, ci)) << 2), ci, 1,
        u + (<usize>(xi * ci * co) << 2), co,
        sM + (<usize>(xi * xiFloats(cnt, co)) << 2), co, false,
      );
    }
    outputTiles(y, oh, ow, co, bias, relu, tilesH, tilesW, t0, cnt);
  }
}

/** The gradient of conv3x3 with respect to g, written as [3][3][ci][co] to dg. */
export function conv3x3Filter(
  x: usize, n: i32, h: i32, w: i32, ci: i32, padTop: i32, padLeft: i32,
  dy: usize, oh: i32, ow: i32, co: i32,
  dg: usize, scratch: usize, tc: i32,
): void {
  useScratch(scratch, ci, co, tc);
  const tilesH = (oh + 3) / 4, tilesW = (ow + 3) / 4, tiles = n * tilesH * tilesW;
  for (let t0 = 0; t0 < tiles; t0 += tc) {
    const cnt = min<i32>(tc, tiles - t0);
    inputTiles(x, h, w, ci, padTop, padLeft, tilesH, tilesW, t0, cnt);
    outputGradTiles(dy, oh, ow, co, tilesH, tilesW, t0, cnt);
    for (let xi = 0; xi < XI; xi++) {
      gemm(
        ci, co, cnt,
        sV + (<usize>(xi * xiFloats(cnt, ci)) << 2), 1, ci,
        sM + (<usize>(xi * xiFloats(cnt, co)) << 2), co,
        sDu + (<usize>(xi * ci * co) << 2), co, t0 > 0,
      );
    }
  }
  if (tiles == 0) memory.fill(sDu, 0, XI * ci * co * 4);
  filterGradTransform(sDu, ci, co, dg);
}
