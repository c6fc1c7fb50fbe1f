import { CHANNEL_OPS, PAIRS, type SimdKernels } from '../simd/module.js';
import { type WasmBackend, withHeapBuffers } from '../wasm_backend.js';
import type { KernelName, KernelPool } from './pool.js';
import { slices } from './slices.js';

/**
 * How a kernel's work divides among the threads, by argument name (the names
 * of the kernel's parameters in `SimdKernels`): which argument counts the
 * items (images, rows or floats), which pointers move with them, and what
 * each extra thread needs of its own.
 */
interface SplitPlan<Arg extends string> {
  /** The argument that says how many items the kernel covers; each thread gets its slice's count there. */
  count: Arg;
  /** Pointer arguments that move to a slice's first item: bytes per item (0 for a scalar operand). */
  step: Partial<Record<Arg, number>>;
  /** Items are cut at multiples of this many (default 1). */
  run?: number;
  /** Float32 elements the whole pass covers: under MIN_ELEMENTS it stays on one thread (default: always split). */
  elements?: number;
  /** Working buffers, argument: bytes; each extra thread gets its own. */
  scratch?: Partial<Record<Arg, number>>;
  /** Outputs, argument: floats; each extra thread writes its own, added into the caller's in thread order. */
  partial?: Partial<Record<Arg, number>>;
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
   * Runs kernel `name` on `args` (its arguments by name, in the order of its
   * parameters) cut by `plan` into one slice per thread, or on the calling
   * thread alone when there is a single slice or too little work. Each slice
   * always goes to the same thread, and partial outputs are added in thread
   * order: results depend on the thread count, not on timing.
   */
  const split = <Arg extends string>(
    name: KernelName,
    args: Readonly<Record<Arg, number>>,
    plan: SplitPlan<NoInfer<Arg>>,
  ): void => {
    const names = Object.keys(args) as Arg[];
    const values = names.map((arg) => args[arg]);
    const items = args[plan.count];
    const run = plan.run ?? 1;
    const parts = slices(Math.ceil(items / run), pool.active);
    if (parts.length < 2 || (plan.elements ?? Infinity) < MIN_ELEMENTS) {
      (k[name] as (...a: number[]) => void)(...values);
      return;
    }
    const extra = parts.length - 1;
    const entries = (record: Partial<Record<Arg, number>> | undefined) =>
      Object.entries(record ?? {}) as Array<[Arg, number]>;
    const scratch = entries(plan.scratch);
    const partial = entries(plan.partial);
    const own = [...scratch, ...partial.map(([arg, floats]) => [arg, floats * 4] as const)];
    withHeapBuffers(
      backend,
      own.flatMap(([, bytes]) => new Array<number>(extra).fill(bytes)),
      (...buffers) => {
        pool.run(
          name,
          parts.map(([s, c], t) => {
            const first = s * run;
            const count = Math.min(items, (s + c) * run) - first;
            const slice = names.map((arg) => (arg === plan.count ? count : args[arg] + first * (plan.step[arg] ?? 0)));
            if (t > 0) own.forEach(([arg], j) => (slice[names.indexOf(arg)] = buffers[j * extra + t - 1]!));
            return slice;
          }),
        );
        partial.forEach(([arg, floats], j) => {
          const from = (scratch.length + j) * extra;
          addInto(args[arg], buffers.slice(from, from + extra), floats);
        });
      },
    );
  };

  return {
    ...k,
    conv3x3(x, n, h, w, ci, padTop, padLeft, u, co, bias, relu, y, oh, ow, scratch, tc) {
      split(
        'conv3x3',
        { x, n, h, w, ci, padTop, padLeft, u, co, bias, relu: +relu, y, oh, ow, scratch, tc },
        {
          count: 'n',
          step: { x: h * w * ci * 4, y: oh * ow * co * 4 },
          scratch: { scratch: k.scratchBytes(ci, co, tc, false) },
        },
      );
    },
    conv3x3Filter(x, n, h, w, ci, padTop, padLeft, dy, oh, ow, co, dg, scratch, tc) {
      split(
        'conv3x3Filter',
        { x, n, h, w, ci, padTop, padLeft, dy, oh, ow, co, dg, scratch, tc },
        {
          count: 'n',
          step: { x: h * w * ci * 4, dy: oh * ow * co * 4 },
          scratch: { scratch: k.scratchBytes(ci, co, tc, true) },
          partial: { dg: 9 * ci * co },
        },
      );
    },
    conv2dPatches(x, n, h, w, ci, g, fh, fw, sh, sw, padTop, padLeft, co, bias, relu, y, oh, ow, scratch, rows) {
      const args = {
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
        relu: +relu,
        y,
        oh,
        ow,
        scratch,
        rows,
      };
      split('conv2dPatches', args, {
        count: 'n',
        step: { x: h * w * ci * 4, y: oh * ow * co * 4 },
        scratch: { scratch: k.patchScratchBytes(fh * fw * ci, rows) },
      });
    },
    conv2dPatchesFilterGrad(x, n, h, w, ci, dy, oh, ow, co, fh, fw, sh, sw, padTop, padLeft, dw, scratch, rows) {
      const args = { x, n, h, w, ci, dy, oh, ow, co, fh, fw, sh, sw, padTop, padLeft, dw, scratch, rows };
      split('conv2dPatchesFilterGrad', args, {
        count: 'n',
        step: { x: h * w * ci * 4, dy: oh * ow * co * 4 },
        scratch: { scratch: k.patchScratchBytes(fh * fw * ci, rows) },
        partial: { dw: fh * fw * ci * co },
      });
    },
    conv2dPatchesInputGrad(dy, n, oh, ow, co, gt, fh, fw, sh, sw, padTop, padLeft, dx, h, w, ci, scratch, rows) {
      const args = { dy, n, oh, ow, co, gt, fh, fw, sh, sw, padTop, padLeft, dx, h, w, ci, scratch, rows };
      split('conv2dPatchesInputGrad', args, {
        count: 'n',
        step: { dy: oh * ow * co * 4, dx: h * w * ci * 4 },
        scratch: { scratch: k.patchScratchBytes(fh * fw * ci, rows) },
      });
    },
    adamUpdate(value, m, v, g, count, b1, b2, d1, d2, eps, rate, c1, c2, outValue, outM, outV) {
      const args = { value, m, v, g, count, b1, b2, d1, d2, eps, rate, c1, c2, outValue, outM, outV };
      split('adamUpdate', args, {
        count: 'count',
        step: { value: 4, m: 4, v: 4, g: 4, outValue: 4, outM: 4, outV: 4 },
        run: VECTOR_RUN,
        elements: count,
      });
    },
    binary(op, a, b, count, pair, y) {
      split(
        'binary',
        { op, a, b, count, pair, y },
        {
          count: 'count',
          step: { a: pair === PAIRS.aScalar ? 0 : 4, b: pair === PAIRS.bScalar ? 0 : 4, y: 4 },
          run: VECTOR_RUN,
          elements: count,
        },
      );
    },
    unary(op, x, count, alpha, y) {
      split(
        'unary',
        { op, x, count, alpha, y },
        { count: 'count', step: { x: 4, y: 4 }, run: VECTOR_RUN, elements: count },
      );
    },
    maxPoolGrad(x, n, h, w, c, dy, oh, ow, fh, fw, sh, sw, top, left, dx) {
      const [image, out] = [h * w * c * 4, oh * ow * c * 4];
      split(
        'maxPoolGrad',
        { x, n, h, w, c, dy, oh, ow, fh, fw, sh, sw, top, left, dx },
        {
          count: 'n',
          step: { x: image, dy: out, dx: image },
          elements: n * h * w * c,
        },
      );
    },
    avgPoolGrad(dy, n, oh, ow, c, fh, fw, sh, sw, top, left, scale, dx, h, w) {
      split(
        'avgPoolGrad',
        { dy, n, oh, ow, c, fh, fw, sh, sw, top, left, scale, dx, h, w },
        {
          count: 'n',
          step: { dy: oh * ow * c * 4, dx: h * w * c * 4 },
          elements: n * h * w * c,
        },
      );
    },
    affine(x, rows, cols, m, a, b, y) {
      const row = cols * 4;
      split(
        'affine',
        { x, rows, cols, m, a, b, y },
        { count: 'rows', step: { x: row, y: row }, elements: rows * cols },
      );
    },
    channelBinary(op, x, rows, cols, v, y, vFirst) {
      const row = cols * 4;
      split(
        'channelBinary',
        { op, x, rows, cols, v, y, vFirst: +vFirst },
        {
          count: 'rows',
          step: { x: row, y: row },
          elements: rows * cols,
        },
      );
    },
    broadcastRows(v, rows, cols, scale, y) {
      split(
        'broadcastRows',
        { v, rows, cols, scale, y },
        { count: 'rows', step: { y: cols * 4 }, elements: rows * cols },
      );
    },
    columnSums(x, rows, cols, scale, out, acc) {
      split(
        'columnSums',
        { x, rows, cols, scale, out, acc },
        {
          count: 'rows',
          step: { x: cols * 4 },
          elements: rows * cols,
          scratch: { acc: cols * 8 },
          partial: { out: cols },
        },
      );
    },
    batchNormTrainDx(dy, x, rows, cols, m, a, b, c, dx) {
      const row = cols * 4;
      split(
        'batchNormTrainDx',
        { dy, x, rows, cols, m, a, b, c, dx },
        {
          count: 'rows',
          step: { dy: row, x: row, dx: row },
          elements: rows * cols,
        },
      );
    },
    batchNormGradSums(dy, x, rows, cols, m, sumDy, sumDyXmu, acc) {
      const row = cols * 4;
      split(
        'batchNormGradSums',
        { dy, x, rows, cols, m, sumDy, sumDyXmu, acc },
        {
          count: 'rows',
          step: { dy: row, x: row },
          elements: rows * cols,
          scratch: { acc: cols * 16 },
          partial: { sumDy: cols, sumDyXmu: cols },
        },
      );
    },
  };
}
