import { CHANNEL_OPS, PAIRS, type SimdKernels } from '../simd/module.js';
import { type WasmBackend, withHeapBuffers } from '../wasm_backend.js';
import type { KernelName, KernelPool } from './pool.js';
import { slices } from './split.js';

/** Below this many float32 elements a pass stays on one thread: waking the others costs more. */
const MIN_ELEMENTS = 1 << 14;
/** Element-wise passes split at multiples of this many floats (whole cache lines). */
const VECTOR_RUN = 16;

/**
 * The SIMD kernels with the same signatures, their work split across `pool`'s
 * threads: convolutions, pooling gradients and per-image passes by images,
 * per-channel passes by rows. Reductions (filter gradients, column sums) give
 * each thread its own partial result, added in thread order afterwards, so a
 * result depends on the thread count but not on timing. Working buffers for
 * the extra threads come from `backend`'s heap and are freed before return.
 */
export function parallelKernels(k: SimdKernels, pool: KernelPool, backend: WasmBackend): SimdKernels {
  /** Runs f with `count` temporary heap buffers of `bytes` each (their offsets). */
  const withBuffers = <R>(count: number, bytes: number, f: (offsets: number[]) => R): R =>
    withHeapBuffers(backend, new Array<number>(count).fill(bytes), (...offsets) => f(offsets));
  /** dst += each of parts, in order (float32, `length` elements). */
  const addInto = (dst: number, parts: number[], length: number): void => {
    for (const p of parts) k.channelBinary(CHANNEL_OPS.Add, dst, 1, length, p, dst, false);
  };
  /**
   * Runs kernel `name` over `count` images or rows cut into one slice per
   * thread (`args` gives a slice's arguments); false, having run nothing, when
   * there is a single slice or the pass covers fewer than MIN_ELEMENTS elements.
   */
  const spread = (
    name: KernelName,
    count: number,
    elements: number,
    args: (start: number, count: number) => number[],
  ): boolean => {
    const parts = slices(count, pool.active);
    if (parts.length < 2 || elements < MIN_ELEMENTS) return false;
    pool.run(
      name,
      parts.map(([s, c]) => args(s, c)),
    );
    return true;
  };

  /** `spread` over `count` floats, cut at multiples of VECTOR_RUN floats (args: first float, floats). */
  const spreadFlat = (name: KernelName, count: number, args: (start: number, count: number) => number[]): boolean =>
    spread(name, Math.ceil(count / VECTOR_RUN), count, (s, c) => {
      const start = s * VECTOR_RUN;
      return args(start, Math.min(count, (s + c) * VECTOR_RUN) - start);
    });

  return {
    ...k,
    conv3x3(x, n, h, w, ci, padTop, padLeft, u, co, bias, relu, y, oh, ow, scratch, tc) {
      const parts = slices(n, pool.active);
      if (parts.length < 2)
        return k.conv3x3(x, n, h, w, ci, padTop, padLeft, u, co, bias, relu, y, oh, ow, scratch, tc);
      withBuffers(parts.length - 1, k.scratchBytes(ci, co, tc, false), (extra) =>
        pool.run(
          'conv3x3',
          parts.map(([s, c], t) => [
            x + s * h * w * ci * 4,
            c,
            h,
            w,
            ci,
            padTop,
            padLeft,
            u,
            co,
            bias,
            +relu,
            y + s * oh * ow * co * 4,
            oh,
            ow,
            t === 0 ? scratch : extra[t - 1]!,
            tc,
          ]),
        ),
      );
    },
    conv3x3Filter(x, n, h, w, ci, padTop, padLeft, dy, oh, ow, co, dg, scratch, tc) {
      const parts = slices(n, pool.active);
      if (parts.length < 2) return k.conv3x3Filter(x, n, h, w, ci, padTop, padLeft, dy, oh, ow, co, dg, scratch, tc);
      const dgBytes = 9 * ci * co * 4;
      withBuffers(parts.length - 1, dgBytes, (partials) =>
        withBuffers(parts.length - 1, k.scratchBytes(ci, co, tc, true), (extra) => {
          pool.run(
            'conv3x3Filter',
            parts.map(([s, c], t) => [
              x + s * h * w * ci * 4,
              c,
              h,
              w,
              ci,
              padTop,
              padLeft,
              dy + s * oh * ow * co * 4,
              oh,
              ow,
              co,
              t === 0 ? dg : partials[t - 1]!,
              t === 0 ? scratch : extra[t - 1]!,
              tc,
            ]),
          );
          addInto(dg, partials, 9 * ci * co);
        }),
      );
    },
    conv2dPatches(x, n, h, w, ci, g, fh, fw, sh, sw, padTop, padLeft, co, bias, relu, y, oh, ow, scratch, rows) {
      const parts = slices(n, pool.active);
      if (parts.length < 2) {
        return k.conv2dPatches(
          x,
          n,
          h,
          w,
          ci,
          g,
          fh,
          fw,
          sh,
          sw,
          padTop,
          padLeft,
          co,
          bias,
          relu,
          y,
          oh,
          ow,
          scratch,
          rows,
        );
      }
      withBuffers(parts.length - 1, k.patchScratchBytes(fh * fw * ci, rows), (extra) =>
        pool.run(
          'conv2dPatches',
          parts.map(([s, c], t) => [
            x + s * h * w * ci * 4,
            c,
            h,
            w,
            ci,
            g,
            fh,
            fw,
            sh,
            sw,
            padTop,
            padLeft,
            co,
            bias,
            +relu,
            y + s * oh * ow * co * 4,
            oh,
            ow,
            t === 0 ? scratch : extra[t - 1]!,
            rows,
          ]),
        ),
      );
    },
    conv2dPatchesFilterGrad(x, n, h, w, ci, dy, oh, ow, co, fh, fw, sh, sw, padTop, padLeft, dw, scratch, rows) {
      const parts = slices(n, pool.active);
      if (parts.length < 2) {
        return k.conv2dPatchesFilterGrad(
          x,
          n,
          h,
          w,
          ci,
          dy,
          oh,
          ow,
          co,
          fh,
          fw,
          sh,
          sw,
          padTop,
          padLeft,
          dw,
          scratch,
          rows,
        );
      }
      const kk = fh * fw * ci;
      withBuffers(parts.length - 1, kk * co * 4, (partials) =>
        withBuffers(parts.length - 1, k.patchScratchBytes(kk, rows), (extra) => {
          pool.run(
            'conv2dPatchesFilterGrad',
            parts.map(([s, c], t) => [
              x + s * h * w * ci * 4,
              c,
              h,
              w,
              ci,
              dy + s * oh * ow * co * 4,
              oh,
              ow,
              co,
              fh,
              fw,
              sh,
              sw,
              padTop,
              padLeft,
              t === 0 ? dw : partials[t - 1]!,
              t === 0 ? scratch : extra[t - 1]!,
              rows,
            ]),
          );
          addInto(dw, partials, kk * co);
        }),
      );
    },
    conv2dPatchesInputGrad(dy, n, oh, ow, co, gt, fh, fw, sh, sw, padTop, padLeft, dx, h, w, ci, scratch, rows) {
      const parts = slices(n, pool.active);
      if (parts.length < 2) {
        return k.conv2dPatchesInputGrad(
          dy,
          n,
          oh,
          ow,
          co,
          gt,
          fh,
          fw,
          sh,
          sw,
          padTop,
          padLeft,
          dx,
          h,
          w,
          ci,
          scratch,
          rows,
        );
      }
      withBuffers(parts.length - 1, k.patchScratchBytes(fh * fw * ci, rows), (extra) =>
        pool.run(
          'conv2dPatchesInputGrad',
          parts.map(([s, c], t) => [
            dy + s * oh * ow * co * 4,
            c,
            oh,
            ow,
            co,
            gt,
            fh,
            fw,
            sh,
            sw,
            padTop,
            padLeft,
            dx + s * h * w * ci * 4,
            h,
            w,
            ci,
            t === 0 ? scratch : extra[t - 1]!,
            rows,
          ]),
        ),
      );
    },
    adamUpdate(value, m, v, g, count, b1, b2, d1, d2, eps, rate, c1, c2, outValue, outM, outV) {
      const at = (p: number, s: number) => p + s * 4;
      const split = (s: number, c: number) => [
        at(value, s),
        at(m, s),
        at(v, s),
        at(g, s),
        c,
        b1,
        b2,
        d1,
        d2,
        eps,
        rate,
        c1,
        c2,
        at(outValue, s),
        at(outM, s),
        at(outV, s),
      ];
      if (!spreadFlat('adamUpdate', count, split)) {
        k.adamUpdate(value, m, v, g, count, b1, b2, d1, d2, eps, rate, c1, c2, outValue, outM, outV);
      }
    },
    binary(op, a, b, count, pair, y) {
      const aStep = pair === PAIRS.aScalar ? 0 : 4;
      const bStep = pair === PAIRS.bScalar ? 0 : 4;
      if (!spreadFlat('binary', count, (s, c) => [op, a + s * aStep, b + s * bStep, c, pair, y + s * 4])) {
        k.binary(op, a, b, count, pair, y);
      }
    },
    unary(op, x, count, alpha, y) {
      if (!spreadFlat('unary', count, (s, c) => [op, x + s * 4, c, alpha, y + s * 4])) k.unary(op, x, count, alpha, y);
    },
    maxPoolGrad(x, n, h, w, c, dy, oh, ow, fh, fw, sh, sw, top, left, dx) {
      const [image, out] = [h * w * c * 4, oh * ow * c * 4];
      const split = (s: number, cnt: number) => [
        x + s * image,
        cnt,
        h,
        w,
        c,
        dy + s * out,
        oh,
        ow,
        fh,
        fw,
        sh,
        sw,
        top,
        left,
        dx + s * image,
      ];
      if (!spread('maxPoolGrad', n, n * h * w * c, split)) {
        k.maxPoolGrad(x, n, h, w, c, dy, oh, ow, fh, fw, sh, sw, top, left, dx);
      }
    },
    avgPoolGrad(dy, n, oh, ow, c, fh, fw, sh, sw, top, left, scale, dx, h, w) {
      const [image, out] = [h * w * c * 4, oh * ow * c * 4];
      const split = (s: number, cnt: number) => [
        dy + s * out,
        cnt,
        oh,
        ow,
        c,
        fh,
        fw,
        sh,
        sw,
        top,
        left,
        scale,
        dx + s * image,
        h,
        w,
      ];
      if (!spread('avgPoolGrad', n, n * h * w * c, split)) {
        k.avgPoolGrad(dy, n, oh, ow, c, fh, fw, sh, sw, top, left, scale, dx, h, w);
      }
    },
    affine(x, rows, cols, m, a, b, y) {
      const row = cols * 4;
      if (!spread('affine', rows, rows * cols, (s, c) => [x + s * row, c, cols, m, a, b, y + s * row])) {
        k.affine(x, rows, cols, m, a, b, y);
      }
    },
    channelBinary(op, x, rows, cols, v, y, vFirst) {
      const row = cols * 4;
      if (!spread('channelBinary', rows, rows * cols, (s, c) => [op, x + s * row, c, cols, v, y + s * row, +vFirst])) {
        k.channelBinary(op, x, rows, cols, v, y, vFirst);
      }
    },
    broadcastRows(v, rows, cols, scale, y) {
      const row = cols * 4;
      if (!spread('broadcastRows', rows, rows * cols, (s, c) => [v, c, cols, scale, y + s * row])) {
        k.broadcastRows(v, rows, cols, scale, y);
      }
    },
    columnSums(x, rows, cols, scale, out, acc) {
      const parts = slices(rows, pool.active);
      if (parts.length < 2 || rows * cols < MIN_ELEMENTS) return k.columnSums(x, rows, cols, scale, out, acc);
      withBuffers(parts.length - 1, cols * 4, (outs) =>
        withBuffers(parts.length - 1, cols * 8, (accs) => {
          pool.run(
            'columnSums',
            parts.map(([s, c], t) => [
              x + s * cols * 4,
              c,
              cols,
              scale,
              t === 0 ? out : outs[t - 1]!,
              t === 0 ? acc : accs[t - 1]!,
            ]),
          );
          addInto(out, outs, cols);
        }),
      );
    },
    batchNormTrainDx(dy, x, rows, cols, m, a, b, c, dx) {
      const row = cols * 4;
      const split = (s: number, n: number) => [dy + s * row, x + s * row, n, cols, m, a, b, c, dx + s * row];
      if (!spread('batchNormTrainDx', rows, rows * cols, split)) k.batchNormTrainDx(dy, x, rows, cols, m, a, b, c, dx);
    },
    batchNormGradSums(dy, x, rows, cols, m, sumDy, sumDyXmu, acc) {
      const parts = slices(rows, pool.active);
      if (parts.length < 2 || rows * cols < MIN_ELEMENTS) {
        return k.batchNormGradSums(dy, x, rows, cols, m, sumDy, sumDyXmu, acc);
      }
      const extra = parts.length - 1;
      withBuffers(2 * extra, cols * 4, (sums) =>
        withBuffers(extra, cols * 16, (accs) => {
          pool.run(
            'batchNormGradSums',
            parts.map(([s, c], t) => [
              dy + s * cols * 4,
              x + s * cols * 4,
              c,
              cols,
              m,
              t === 0 ? sumDy : sums[2 * (t - 1)]!,
              t === 0 ? sumDyXmu : sums[2 * (t - 1) + 1]!,
              t === 0 ? acc : accs[t - 1]!,
            ]),
          );
          addInto(
            sumDy,
            sums.filter((_, i) => i % 2 === 0),
            cols,
          );
          addInto(
            sumDyXmu,
            sums.filter((_, i) => i % 2 === 1),
            cols,
          );
        }),
      );
    },
  };
}
