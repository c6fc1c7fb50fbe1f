import { CHANNEL_OPS, PAIRS, type SimdKernels } from '../simd/module.js';
import { type WasmBackend, withHeapBuffers } from '../wasm_backend.js';
import type { KernelName, KernelPool } from './pool.js';
import { slices } from './slices.js';

/**
 * How a kernel's work divides among the threads, by argument position in the
 * kernel's list: which argument counts the items (images, rows or floats),
 * which pointers move with them, and what each extra thread needs of its own.
 */
interface SplitPlan {
  /** The argument that says how many items the kernel covers; each thread gets its slice's count there. */
  count: number;
  /** Pointer arguments that move to a slice's first item: bytes per item (0 for a scalar operand). */
  step: Readonly<Record<number, number>>;
  /** Items are cut at multiples of this many (default 1). */
  run?: number;
  /** Float32 elements the whole pass covers: under MIN_ELEMENTS it stays on one thread (default: always split). */
  elements?: number;
  /** Working buffers, [argument, bytes]: each extra thread gets its own. */
  scratch?: ReadonlyArray<readonly [number, number]>;
  /** Outputs, [argument, floats]: each extra thread writes its own, added into the caller's in thread order. */
  partial?: ReadonlyArray<readonly [number, number]>;
}

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
  /** dst += each of parts, in order (float32, `length` elements). */
  const addInto = (dst: number, parts: number[], length: number): void => {
    for (const p of parts) k.channelBinary(CHANNEL_OPS.Add, dst, 1, length, p, dst, false);
  };
  /**
   * Runs kernel `name` on `args` cut by `plan` into one slice per thread, or
   * on the calling thread alone when there is a single slice or too little
   * work. Each slice always goes to the same thread, and partial outputs are
   * added in thread order: results depend on the thread count, not on timing.
   */
  const split = (name: KernelName, args: number[], plan: SplitPlan): void => {
    const items = args[plan.count]!;
    const run = plan.run ?? 1;
    const parts = slices(Math.ceil(items / run), pool.active);
    if (parts.length < 2 || (plan.elements ?? Infinity) < MIN_ELEMENTS) {
      (k[name] as (...a: number[]) => void)(...args);
      return;
    }
    const extra = parts.length - 1;
    const scratch = plan.scratch ?? [];
    const partial = plan.partial ?? [];
    const own = [...scratch, ...partial.map(([i, floats]) => [i, floats * 4] as const)];
    withHeapBuffers(
      backend,
      own.flatMap(([, bytes]) => new Array<number>(extra).fill(bytes)),
      (...buffers) => {
        pool.run(
          name,
          parts.map(([s, c], t) => {
            const first = s * run;
            const count = Math.min(items, (s + c) * run) - first;
            const slice = args.map((value, i) => (i === plan.count ? count : value + first * (plan.step[i] ?? 0)));
            if (t > 0) own.forEach(([i], j) => (slice[i] = buffers[j * extra + t - 1]!));
            return slice;
          }),
        );
        partial.forEach(([i, floats], j) => {
          const from = (scratch.length + j) * extra;
          addInto(args[i]!, buffers.slice(from, from + extra), floats);
        });
      },
    );
  };

  return {
    ...k,
    conv3x3(x, n, h, w, ci, padTop, padLeft, u, co, bias, relu, y, oh, ow, scratch, tc) {
      split('conv3x3', [x, n, h, w, ci, padTop, padLeft, u, co, bias, +relu, y, oh, ow, scratch, tc], {
        count: 1,
        step: { 0: h * w * ci * 4, 11: oh * ow * co * 4 },
        scratch: [[14, k.scratchBytes(ci, co, tc, false)]],
      });
    },
    conv3x3Filter(x, n, h, w, ci, padTop, padLeft, dy, oh, ow, co, dg, scratch, tc) {
      split('conv3x3Filter', [x, n, h, w, ci, padTop, padLeft, dy, oh, ow, co, dg, scratch, tc], {
        count: 1,
        step: { 0: h * w * ci * 4, 7: oh * ow * co * 4 },
        scratch: [[12, k.scratchBytes(ci, co, tc, true)]],
        partial: [[11, 9 * ci * co]],
      });
    },
    conv2dPatches(x, n, h, w, ci, g, fh, fw, sh, sw, padTop, padLeft, co, bias, relu, y, oh, ow, scratch, rows) {
      const args = [x, n, h, w, ci, g, fh, fw, sh, sw, padTop, padLeft, co, bias, +relu, y, oh, ow, scratch, rows];
      split('conv2dPatches', args, {
        count: 1,
        step: { 0: h * w * ci * 4, 15: oh * ow * co * 4 },
        scratch: [[18, k.patchScratchBytes(fh * fw * ci, rows)]],
      });
    },
    conv2dPatchesFilterGrad(x, n, h, w, ci, dy, oh, ow, co, fh, fw, sh, sw, padTop, padLeft, dw, scratch, rows) {
      const args = [x, n, h, w, ci, dy, oh, ow, co, fh, fw, sh, sw, padTop, padLeft, dw, scratch, rows];
      split('conv2dPatchesFilterGrad', args, {
        count: 1,
        step: { 0: h * w * ci * 4, 5: oh * ow * co * 4 },
        scratch: [[16, k.patchScratchBytes(fh * fw * ci, rows)]],
        partial: [[15, fh * fw * ci * co]],
      });
    },
    conv2dPatchesInputGrad(dy, n, oh, ow, co, gt, fh, fw, sh, sw, padTop, padLeft, dx, h, w, ci, scratch, rows) {
      const args = [dy, n, oh, ow, co, gt, fh, fw, sh, sw, padTop, padLeft, dx, h, w, ci, scratch, rows];
      split('conv2dPatchesInputGrad', args, {
        count: 1,
        step: { 0: oh * ow * co * 4, 12: h * w * ci * 4 },
        scratch: [[16, k.patchScratchBytes(fh * fw * ci, rows)]],
      });
    },
    adamUpdate(value, m, v, g, count, b1, b2, d1, d2, eps, rate, c1, c2, outValue, outM, outV) {
      const args = [value, m, v, g, count, b1, b2, d1, d2, eps, rate, c1, c2, outValue, outM, outV];
      split('adamUpdate', args, {
        count: 4,
        step: { 0: 4, 1: 4, 2: 4, 3: 4, 13: 4, 14: 4, 15: 4 },
        run: VECTOR_RUN,
        elements: count,
      });
    },
    binary(op, a, b, count, pair, y) {
      split('binary', [op, a, b, count, pair, y], {
        count: 3,
        step: { 1: pair === PAIRS.aScalar ? 0 : 4, 2: pair === PAIRS.bScalar ? 0 : 4, 5: 4 },
        run: VECTOR_RUN,
        elements: count,
      });
    },
    unary(op, x, count, alpha, y) {
      split('unary', [op, x, count, alpha, y], { count: 2, step: { 1: 4, 4: 4 }, run: VECTOR_RUN, elements: count });
    },
    maxPoolGrad(x, n, h, w, c, dy, oh, ow, fh, fw, sh, sw, top, left, dx) {
      const [image, out] = [h * w * c * 4, oh * ow * c * 4];
      split('maxPoolGrad', [x, n, h, w, c, dy, oh, ow, fh, fw, sh, sw, top, left, dx], {
        count: 1,
        step: { 0: image, 5: out, 14: image },
        elements: n * h * w * c,
      });
    },
    avgPoolGrad(dy, n, oh, ow, c, fh, fw, sh, sw, top, left, scale, dx, h, w) {
      split('avgPoolGrad', [dy, n, oh, ow, c, fh, fw, sh, sw, top, left, scale, dx, h, w], {
        count: 1,
        step: { 0: oh * ow * c * 4, 12: h * w * c * 4 },
        elements: n * h * w * c,
      });
    },
    affine(x, rows, cols, m, a, b, y) {
      const row = cols * 4;
      split('affine', [x, rows, cols, m, a, b, y], { count: 1, step: { 0: row, 6: row }, elements: rows * cols });
    },
    channelBinary(op, x, rows, cols, v, y, vFirst) {
      const row = cols * 4;
      split('channelBinary', [op, x, rows, cols, v, y, +vFirst], {
        count: 2,
        step: { 1: row, 5: row },
        elements: rows * cols,
      });
    },
    broadcastRows(v, rows, cols, scale, y) {
      split('broadcastRows', [v, rows, cols, scale, y], { count: 1, step: { 4: cols * 4 }, elements: rows * cols });
    },
    columnSums(x, rows, cols, scale, out, acc) {
      split('columnSums', [x, rows, cols, scale, out, acc], {
        count: 1,
        step: { 0: cols * 4 },
        elements: rows * cols,
        scratch: [[5, cols * 8]],
        partial: [[4, cols]],
      });
    },
    batchNormTrainDx(dy, x, rows, cols, m, a, b, c, dx) {
      const row = cols * 4;
      split('batchNormTrainDx', [dy, x, rows, cols, m, a, b, c, dx], {
        count: 2,
        step: { 0: row, 1: row, 8: row },
        elements: rows * cols,
      });
    },
    batchNormGradSums(dy, x, rows, cols, m, sumDy, sumDyXmu, acc) {
      const row = cols * 4;
      split('batchNormGradSums', [dy, x, rows, cols, m, sumDy, sumDyXmu, acc], {
        count: 2,
        step: { 0: row, 1: row },
        elements: rows * cols,
        scratch: [[7, cols * 16]],
        partial: [
          [5, cols],
          [6, cols],
        ],
      });
    },
  };
}
