// Single-precision matrix product with WebAssembly SIMD (128-bit), the
// engine of the Winograd convolutions in winograd.ts.
//
//   C[m x n] (+)= A[m x k] * B[k x n]
//
// A is read through strides, so the same code multiplies by A or by its
// transpose: A(i, p) is the float at a + 4 * (i * aRow + p * aCol). B is
// row-major with ldb floats between rows, C row-major with ldc. n must be a
// multiple of 4. Register tiles of 4 x 8 (8 accumulators, 2 B vectors and an
// A broadcast: 11 of the 16 SIMD registers of x86-64), over slices of 256 of
// the k dimension so that the A and B panels stay in cache.

const KC: i32 = 256;

@inline function tile4x8(
  kc: i32,
  a: usize,
  rs: usize,
  cs: usize,
  b: usize,
  bs: usize,
  c: usize,
  ldc: usize,
  load: bool,
): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0),
    c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0),
    c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  const c1 = c + ldc,
    c2 = c + 2 * ldc,
    c3 = c + 3 * ldc;
  if (load) {
    c00 = v128.load(c);
    c01 = v128.load(c, 16);
    c10 = v128.load(c1);
    c11 = v128.load(c1, 16);
    c20 = v128.load(c2);
    c21 = v128.load(c2, 16);
    c30 = v128.load(c3);
    c31 = v128.load(c3, 16);
  }
  const rs2: usize = 2 * rs,
    rs3: usize = 3 * rs;
  let pa = a,
    pb = b;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb),
      b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(pa + rs);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(pa + rs2);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(pa + rs3);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    pa += cs;
    pb += bs;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c1, c10);
  v128.store(c1, c11, 16);
  v128.store(c2, c20);
  v128.store(c2, c21, 16);
  v128.store(c3, c30);
  v128.store(c3, c31, 16);
}

@inline function tile4x4(
  kc: i32,
  a: usize,
  rs: usize,
  cs: usize,
  b: usize,
  bs: usize,
  c: usize,
  ldc: usize,
  load: bool,
): void {
  let c0 = f32x4.splat(0),
    c1 = f32x4.splat(0),
    c2 = f32x4.splat(0),
    c3 = f32x4.splat(0);
  if (load) {
    c0 = v128.load(c);
    c1 = v128.load(c + ldc);
    c2 = v128.load(c + 2 * ldc);
    c3 = v128.load(c + 3 * ldc);
  }
  let pa = a,
    pb = b;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa + rs), b0));
    c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa + 2 * rs), b0));
    c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa + 3 * rs), b0));
    pa += cs;
    pb += bs;
  }
  v128.store(c, c0);
  v128.store(c + ldc, c1);
  v128.store(c + 2 * ldc, c2);
  v128.store(c + 3 * ldc, c3);
}

@inline function tile1x4(kc: i32, a: usize, cs: usize, b: usize, bs: usize, c: usize, load: bool): void {
  let c0 = load ? v128.load(c) : f32x4.splat(0);
  let pa = a,
    pb = b;
  for (let p = 0; p < kc; p++) {
    c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
    pa += cs;
    pb += bs;
  }
  v128.store(c, c0);
}

export function gemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  aRow: i32,
  aCol: i32,
  b: usize,
  ldb: i32,
  c: usize,
  ldc: i32,
  accumulate: bool,
): void {
  const rs = (<usize>aRow) << 2,
    cs = (<usize>aCol) << 2,
    bs = (<usize>ldb) << 2,
    cRow = (<usize>ldc) << 2;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = min<i32>(KC, k - k0);
    const load = accumulate || k0 > 0;
    const ak = a + <usize>k0 * cs;
    const bk = b + <usize>k0 * bs;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const ai = ak + <usize>i * rs,
        ci = c + <usize>i * cRow;
      let j = 0;
      for (; j + 8 <= n; j += 8)
        tile4x8(kc, ai, rs, cs, bk + ((<usize>j) << 2), bs, ci + ((<usize>j) << 2), cRow, load);
      if (j < n) tile4x4(kc, ai, rs, cs, bk + ((<usize>j) << 2), bs, ci + ((<usize>j) << 2), cRow, load);
    }
    for (; i < m; i++) {
      const ai = ak + <usize>i * rs,
        ci = c + <usize>i * cRow;
      for (let j = 0; j < n; j += 4) tile1x4(kc, ai, cs, bk + ((<usize>j) << 2), bs, ci + ((<usize>j) << 2), load);
    }
  }
}
