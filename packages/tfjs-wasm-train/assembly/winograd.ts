// Winograd F(4x4, 3x3) convolutions (Lavin & Gray 2016) on NHWC float32
// tensors, for the three convolutions of training a 3x3 stride-1 layer:
// the forward pass, the input gradient (a forward pass of the flipped,
// transposed filter) and the filter gradient.
//
// Every 4x4 output tile is A^T [ (G g G^T) . (B^T d B) ] A, where d is the
// 6x6 input patch under the tile: 36 elementwise products summed over input
// channels, i.e. 36 matrix products (gemm.ts) where a direct convolution
// makes 144 (9 for each of the 16 output pixels): 4x fewer multiplications. The
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

/**
 * Floats from one transformed element's filter plane (ci x co) of U or dU to
 * the next: the plane plus one cache line, for the same reason as xiFloats
 * (at 32 and 64 channels the planes are 4 KB and 16 KB: the transform's 36
 * stores a vector fell on one cache set, and took several times longer).
 */
@inline function planeFloats(ci: i32, co: i32): i32 {
  return ci * co + 16;
}

/** Bytes of scratch memory conv3x3 and conv3x3Filter need. */
export function scratchBytes(ci: i32, co: i32, tc: i32, filterGrad: bool): i32 {
  const fixed = 16 * (max<i32>(ci, co) + co + XI + XI * 4) + 64;
  const chunk = XI * (xiFloats(tc, ci) + xiFloats(tc, co)) * 4;
  return fixed + chunk + (filterGrad ? XI * planeFloats(ci, co) * 4 : 0);
}

// Scratch regions of the running call (set by useScratch; module globals, so
// that nothing is allocated: this module shares the backend's memory).
let sZero: usize = 0; // max(ci, co) zeros: what padding reads
let sDump: usize = 0; // co floats: where outputs outside the image go
let sAddr: usize = 0; // 36 addresses of one tile's pixels
let sTemp: usize = 0; // 36 vectors between the two passes of a transform
let sV: usize = 0; // input tiles [36][tc][ci]
let sM: usize = 0; // output tiles [36][tc][co]
let sDu: usize = 0; // filter-gradient accumulator [36][ci][co], planeFloats apart

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
@inline function patchAddresses(
  x: usize,
  h: i32,
  w: i32,
  c: i32,
  img: i32,
  y0: i32,
  x0: i32,
  size: i32,
  zero: usize,
  addr: usize,
): void {
  for (let r = 0; r < size; r++) {
    const yy = y0 + r;
    for (let s = 0; s < size; s++) {
      const xx = x0 + s;
      const inside = yy >= 0 && yy < h && xx >= 0 && xx < w;
      store<usize>(addr + ((r * size + s) << 2), inside ? x + ((<usize>(((img * h + yy) * w + xx) * c)) << 2) : zero);
    }
  }
}

/** V = B^T d B for tiles [t0, t0 + cnt) of the output grid (tilesH x tilesW per image). */
function inputTiles(
  x: usize,
  h: i32,
  w: i32,
  c: i32,
  padTop: i32,
  padLeft: i32,
  tilesH: i32,
  tilesW: i32,
  t0: i32,
  cnt: i32,
): void {
  const perImage = tilesH * tilesW;
  const xiStride = (<usize>xiFloats(cnt, c)) << 2;
  for (let t = 0; t < cnt; t++) {
    const g = t0 + t,
      img = g / perImage,
      rest = g % perImage;
    patchAddresses(x, h, w, c, img, (rest / tilesW) * 4 - padTop, (rest % tilesW) * 4 - padLeft, 6, sZero, sAddr);
    const out = sV + ((<usize>(t * c)) << 2);
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
        const e0 = v128.load(p),
          e1 = v128.load(p, 16),
          e2 = v128.load(p, 32);
        const e3 = v128.load(p, 48),
          e4 = v128.load(p, 64),
          e5 = v128.load(p, 80);
        bt(e0, e1, e2, e3, e4, e5, out + cc + <usize>(r * 6) * xiStride, xiStride);
      }
    }
  }
}

/** The six rows of B^T times (d0..d5), stored `stride` bytes apart. */
@inline function bt(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, p: usize, stride: usize): void {
  const four = f32x4.splat(4),
    five = f32x4.splat(5),
    two = f32x4.splat(2);
  v128.store(p, f32x4.add(f32x4.sub(f32x4.mul(four, d0), f32x4.mul(five, d2)), d4));
  const a = f32x4.add(d3, d4),
    b = f32x4.add(d1, d2);
  v128.store(p + stride, f32x4.sub(a, f32x4.mul(four, b)));
  const c = f32x4.sub(d4, d3),
    d = f32x4.sub(d1, d2);
  v128.store(p + 2 * stride, f32x4.add(c, f32x4.mul(four, d)));
  const e = f32x4.sub(d4, d2),
    f = f32x4.mul(two, f32x4.sub(d3, d1));
  v128.store(p + 3 * stride, f32x4.add(e, f));
  v128.store(p + 4 * stride, f32x4.sub(e, f));
  v128.store(p + 5 * stride, f32x4.add(f32x4.sub(f32x4.mul(four, d1), f32x4.mul(five, d3)), d5));
}

/** y = A^T M A (+ bias, relu) for tiles [t0, t0 + cnt), written where they fall inside [oh, ow]. */
function outputTiles(
  y: usize,
  oh: i32,
  ow: i32,
  c: i32,
  bias: usize,
  relu: bool,
  tilesH: i32,
  tilesW: i32,
  t0: i32,
  cnt: i32,
): void {
  const perImage = tilesH * tilesW;
  const xiStride = (<usize>xiFloats(cnt, c)) << 2;
  const zero = f32x4.splat(0);
  for (let t = 0; t < cnt; t++) {
    const g = t0 + t,
      img = g / perImage,
      rest = g % perImage;
    const y0 = (rest / tilesW) * 4,
      x0 = (rest % tilesW) * 4;
    for (let r = 0; r < 4; r++) {
      for (let q = 0; q < 4; q++) {
        const inside = y0 + r < oh && x0 + q < ow;
        store<usize>(
          sAddr + ((r * 4 + q) << 2),
          inside ? y + ((<usize>(((img * oh + y0 + r) * ow + x0 + q) * c)) << 2) : sDump,
        );
      }
    }
    const src = sM + ((<usize>(t * c)) << 2);
    for (let cc: usize = 0; cc < <usize>(c << 2); cc += 16) {
      // Columns: Q = A^T M (4 x 6).
      for (let j = 0; j < 6; j++) {
        const p = src + cc + <usize>j * xiStride;
        at(
          v128.load(p),
          v128.load(p + 6 * xiStride),
          v128.load(p + 12 * xiStride),
          v128.load(p + 18 * xiStride),
          v128.load(p + 24 * xiStride),
          v128.load(p + 30 * xiStride),
          sTemp + (j << 4),
          96,
        );
      }
      const b = bias != 0 ? v128.load(bias + cc) : zero;
      // Rows: Y = Q A (4 x 4).
      for (let r = 0; r < 4; r++) {
        const p = sTemp + <usize>(r * 96);
        at(
          v128.load(p),
          v128.load(p, 16),
          v128.load(p, 32),
          v128.load(p, 48),
          v128.load(p, 64),
          v128.load(p, 80),
          p,
          16,
        );
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
  const s12 = f32x4.add(m1, m2),
    d12 = f32x4.sub(m1, m2);
  const s34 = f32x4.add(m3, m4),
    d34 = f32x4.sub(m3, m4);
  v128.store(p, f32x4.add(f32x4.add(m0, s12), s34));
  v128.store(p + stride, f32x4.add(d12, f32x4.mul(f32x4.splat(2), d34)));
  v128.store(p + 2 * stride, f32x4.add(s12, f32x4.mul(f32x4.splat(4), s34)));
  v128.store(p + 3 * stride, f32x4.add(f32x4.add(d12, f32x4.mul(f32x4.splat(8), d34)), m5));
}

/** dZ = A dY A^T for tiles [t0, t0 + cnt) of dy (zero outside [oh, ow]), into sM. */
function outputGradTiles(dy: usize, oh: i32, ow: i32, c: i32, tilesH: i32, tilesW: i32, t0: i32, cnt: i32): void {
  const perImage = tilesH * tilesW;
  const xiStride = (<usize>xiFloats(cnt, c)) << 2;
  for (let t = 0; t < cnt; t++) {
    const g = t0 + t,
      img = g / perImage,
      rest = g % perImage;
    patchAddresses(dy, oh, ow, c, img, (rest / tilesW) * 4, (rest % tilesW) * 4, 4, sZero, sAddr);
    const out = sM + ((<usize>(t * c)) << 2);
    for (let cc: usize = 0; cc < <usize>(c << 2); cc += 16) {
      // Columns: P = A dY (6 x 4).
      for (let j = 0; j < 4; j++) {
        a6(
          v128.load(load<usize>(sAddr + (j << 2)) + cc),
          v128.load(load<usize>(sAddr + ((4 + j) << 2)) + cc),
          v128.load(load<usize>(sAddr + ((8 + j) << 2)) + cc),
          v128.load(load<usize>(sAddr + ((12 + j) << 2)) + cc),
          sTemp + (j << 4),
          64,
        );
      }
      // Rows: dZ = P A^T (6 x 6).
      for (let r = 0; r < 6; r++) {
        const p = sTemp + <usize>(r * 64);
        a6(
          v128.load(p),
          v128.load(p, 16),
          v128.load(p, 32),
          v128.load(p, 48),
          out + cc + <usize>(r * 6) * xiStride,
          xiStride,
        );
      }
    }
  }
}

/** The six rows of A times (y0..y3), stored `stride` bytes apart. */
@inline function a6(y0: v128, y1: v128, y2: v128, y3: v128, p: usize, stride: usize): void {
  const e = f32x4.add(y0, y2),
    o = f32x4.add(y1, y3);
  const e4 = f32x4.add(y0, f32x4.mul(f32x4.splat(4), y2));
  const o4 = f32x4.add(f32x4.mul(f32x4.splat(2), y1), f32x4.mul(f32x4.splat(8), y3));
  v128.store(p, y0);
  v128.store(p + stride, f32x4.add(e, o));
  v128.store(p + 2 * stride, f32x4.sub(e, o));
  v128.store(p + 3 * stride, f32x4.add(e4, o4));
  v128.store(p + 4 * stride, f32x4.sub(e4, o4));
  v128.store(p + 5 * stride, y3);
}

/** Bytes filterTransform writes at u: U itself, then its working space. */
export function filterBytes(ci: i32, co: i32): i32 {
  return XI * planeFloats(ci, co) * 4 + 16 * 19;
}

/**
 * U = G g G^T, as [36][cin][cout] at u, planeFloats apart (filterBytes(ci, co) bytes, the end
 * used as working space). With `flip`, the filter of the input gradient:
 * g'[kh, kw, a, b] = g[2 - kh, 2 - kw, b, a] (cin = co, cout = ci). Four
 * output channels at a time (cout is a multiple of 4).
 */
export function filterTransform(g: usize, ci: i32, co: i32, flip: bool, u: usize): void {
  const cin = flip ? co : ci,
    cout = flip ? ci : co;
  const plane = (<usize>planeFloats(cin, cout)) << 2;
  const temp = align16(u + <usize>XI * plane);
  for (let a = 0; a < cin; a++) {
    for (let b = 0; b < cout; b += 4) {
      // t = G g (6 x 3), column by column, into temp (18 vectors); then U = t G^T, row by row.
      for (let col = 0; col < 3; col++) {
        gColumn(
          tap4(g, ci, co, flip, 0, col, a, b),
          tap4(g, ci, co, flip, 1, col, a, b),
          tap4(g, ci, co, flip, 2, col, a, b),
          temp + ((<usize>col) << 4),
          48,
        );
      }
      const p = u + ((<usize>(a * cout + b)) << 2);
      for (let r = 0; r < 6; r++) {
        const t = temp + <usize>(r * 48);
        gColumn(v128.load(t), v128.load(t, 16), v128.load(t, 32), p + <usize>(r * 6) * plane, plane);
      }
    }
  }
}

/** g[kh, kw, a, b..b+3] (or, with flip, g[2 - kh, 2 - kw, b..b+3, a]) as a vector. */
@inline function tap4(g: usize, ci: i32, co: i32, flip: bool, kh: i32, kw: i32, a: i32, b: i32): v128 {
  if (!flip) return v128.load(g + ((<usize>((kh * 3 + kw) * ci * co + a * co + b)) << 2));
  const p = g + ((<usize>(((2 - kh) * 3 + 2 - kw) * ci * co + b * co + a)) << 2);
  const s = (<usize>co) << 2;
  let v = f32x4.splat(load<f32>(p));
  v = f32x4.replace_lane(v, 1, load<f32>(p + s));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * s));
  return f32x4.replace_lane(v, 3, load<f32>(p + 3 * s));
}

/**
 * The six entries of G (g0, g1, g2), stored `stride` bytes apart: G's rows are
 * (1/4, 0, 0), -(1, 1, 1)/6, -(1, -1, 1)/6, (1/24, 1/12, 1/6), (1/24, -1/12, 1/6), (0, 0, 1).
 */
@inline function gColumn(g0: v128, g1: v128, g2: v128, p: usize, stride: usize): void {
  const sixth = f32x4.splat(<f32>(1.0 / 6)),
    twelfth = f32x4.splat(<f32>(1.0 / 12)),
    quarter = f32x4.splat(0.25);
  const even = f32x4.add(g0, g2);
  const q = f32x4.add(f32x4.mul(g0, f32x4.splat(<f32>(1.0 / 24))), f32x4.mul(g2, sixth));
  const m = f32x4.mul(g1, twelfth);
  v128.store(p, f32x4.mul(g0, quarter));
  v128.store(p + stride, f32x4.neg(f32x4.mul(f32x4.add(even, g1), sixth)));
  v128.store(p + 2 * stride, f32x4.neg(f32x4.mul(f32x4.sub(even, g1), sixth)));
  v128.store(p + 3 * stride, f32x4.add(q, m));
  v128.store(p + 4 * stride, f32x4.sub(q, m));
  v128.store(p + 5 * stride, g2);
}

/**
 * dg = G^T dU G: from [36][ci][co] to the filter layout [3][3][ci][co], four
 * entries at a time (ci * co is a multiple of 4).
 */
function filterGradTransform(du: usize, ci: i32, co: i32, dg: usize): void {
  const plane = (<usize>planeFloats(ci, co)) << 2; // dU's
  const tap = (<usize>(ci * co)) << 2; // dg's
  for (let i: usize = 0; i < tap; i += 16) {
    // s = dU G (6 x 3), row by row, into sTemp; then dg = G^T s, column by column.
    for (let r = 0; r < 6; r++) {
      const p = du + i + <usize>(r * 6) * plane;
      gtRow(
        v128.load(p),
        v128.load(p + plane),
        v128.load(p + 2 * plane),
        v128.load(p + 3 * plane),
        v128.load(p + 4 * plane),
        v128.load(p + 5 * plane),
        sTemp + <usize>(r * 48),
        16,
      );
    }
    for (let col = 0; col < 3; col++) {
      const t = sTemp + ((<usize>col) << 4);
      gtRow(
        v128.load(t),
        v128.load(t, 48),
        v128.load(t, 96),
        v128.load(t, 144),
        v128.load(t, 192),
        v128.load(t, 240),
        dg + i + <usize>col * tap,
        3 * tap,
      );
    }
  }
}

/** G^T (u0..u5): three values stored `stride` bytes apart. */
@inline function gtRow(u0: v128, u1: v128, u2: v128, u3: v128, u4: v128, u5: v128, p: usize, stride: usize): void {
  const sixth = f32x4.splat(<f32>(1.0 / 6));
  const s12 = f32x4.add(u1, u2),
    d21 = f32x4.sub(u2, u1);
  const s34 = f32x4.add(u3, u4),
    d34 = f32x4.sub(u3, u4);
  v128.store(
    p,
    f32x4.add(
      f32x4.sub(f32x4.mul(u0, f32x4.splat(0.25)), f32x4.mul(s12, sixth)),
      f32x4.mul(s34, f32x4.splat(<f32>(1.0 / 24))),
    ),
  );
  v128.store(p + stride, f32x4.add(f32x4.mul(d21, sixth), f32x4.mul(d34, f32x4.splat(<f32>(1.0 / 12)))));
  v128.store(p + 2 * stride, f32x4.add(f32x4.mul(f32x4.sub(s34, s12), sixth), u5));
}

/**
 * y[n, oh, ow, co] = sum over 3x3 taps and ci of x[n, oh + kh - padTop, ow + kw - padLeft, ci] * g[kh, kw, ci, co]
 * (+ bias, relu), with u = filterTransform(g). Pixels outside x read as zero.
 */
export function conv3x3(
  x: usize,
  n: i32,
  h: i32,
  w: i32,
  ci: i32,
  padTop: i32,
  padLeft: i32,
  u: usize,
  co: i32,
  bias: usize,
  relu: bool,
  y: usize,
  oh: i32,
  ow: i32,
  scratch: usize,
  tc: i32,
): void {
  useScratch(scratch, ci, co, tc);
  const tilesH = (oh + 3) / 4,
    tilesW = (ow + 3) / 4,
    tiles = n * tilesH * tilesW;
  for (let t0 = 0; t0 < tiles; t0 += tc) {
    const cnt = min<i32>(tc, tiles - t0);
    inputTiles(x, h, w, ci, padTop, padLeft, tilesH, tilesW, t0, cnt);
    for (let xi = 0; xi < XI; xi++) {
      gemm(
        cnt,
        co,
        ci,
        sV + ((<usize>(xi * xiFloats(cnt, ci))) << 2),
        ci,
        1,
        u + ((<usize>(xi * planeFloats(ci, co))) << 2),
        co,
        sM + ((<usize>(xi * xiFloats(cnt, co))) << 2),
        co,
        false,
      );
    }
    outputTiles(y, oh, ow, co, bias, relu, tilesH, tilesW, t0, cnt);
  }
}

/** The gradient of conv3x3 with respect to g, written as [3][3][ci][co] to dg. */
export function conv3x3Filter(
  x: usize,
  n: i32,
  h: i32,
  w: i32,
  ci: i32,
  padTop: i32,
  padLeft: i32,
  dy: usize,
  oh: i32,
  ow: i32,
  co: i32,
  dg: usize,
  scratch: usize,
  tc: i32,
): void {
  useScratch(scratch, ci, co, tc);
  const tilesH = (oh + 3) / 4,
    tilesW = (ow + 3) / 4,
    tiles = n * tilesH * tilesW;
  for (let t0 = 0; t0 < tiles; t0 += tc) {
    const cnt = min<i32>(tc, tiles - t0);
    inputTiles(x, h, w, ci, padTop, padLeft, tilesH, tilesW, t0, cnt);
    outputGradTiles(dy, oh, ow, co, tilesH, tilesW, t0, cnt);
    for (let xi = 0; xi < XI; xi++) {
      gemm(
        ci,
        co,
        cnt,
        sV + ((<usize>(xi * xiFloats(cnt, ci))) << 2),
        1,
        ci,
        sM + ((<usize>(xi * xiFloats(cnt, co))) << 2),
        co,
        sDu + ((<usize>(xi * planeFloats(ci, co))) << 2),
        co,
        t0 > 0,
      );
    }
  }
  if (tiles == 0) memory.fill(sDu, 0, XI * planeFloats(ci, co) * 4);
  filterGradTransform(sDu, ci, co, dg);
}
