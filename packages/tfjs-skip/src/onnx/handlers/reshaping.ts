import type { LayerContext, OnnxHandler } from '../context.js';
import type { Attr } from '../graph.js';
import { physicalAxis } from '../layout.js';

/** ONNX Slice's "to the end" (it clamps ends to the axis' size). */
export const TO_THE_END = Number.MAX_SAFE_INTEGER;

/** The physical axes of the TF.js height and width axes (1 and 2) of `ctx.input`. */
function heightWidth(ctx: LayerContext): [number, number] {
  const { shape, layout } = ctx.input;
  return [physicalAxis(1, shape.length, layout), physicalAxis(2, shape.length, layout)];
}

/** `[[top, bottom], [left, right]]` of a padding or cropping setting. */
function sides(value: unknown): [[number, number], [number, number]] {
  const v = value as number | number[] | number[][];
  if (typeof v === 'number')
    return [
      [v, v],
      [v, v],
    ];
  const [h, w] = v as (number | number[])[];
  const pair = (p: number | number[] | undefined): [number, number] =>
    Array.isArray(p) ? [Number(p[0]), Number(p[1])] : [Number(p), Number(p)];
  return [pair(h), pair(w)];
}

/** Padding, cropping and resizing of images, in whatever layout their input has. */
export const reshapingHandlers: Record<string, OnnxHandler> = {
  ZeroPadding2D: (ctx) => {
    const x = ctx.input;
    const rank = x.shape.length;
    const [[top, bottom], [left, right]] = sides(ctx.config['padding']);
    const [h, w] = heightWidth(ctx);
    const pads = new Array<number>(2 * rank).fill(0);
    [pads[h], pads[w], pads[rank + h], pads[rank + w]] = [top, left, bottom, right];
    return { name: ctx.node('Pad', [x.name, ctx.int64s('pads', pads)], { mode: 'constant' }), layout: x.layout };
  },
  Cropping2D: (ctx) => {
    const x = ctx.input;
    const [[top, bottom], [left, right]] = sides(ctx.config['cropping']);
    const end = (n: number) => (n === 0 ? TO_THE_END : -n);
    const inputs = [
      x.name,
      ctx.int64s('starts', [top, left]),
      ctx.int64s('ends', [end(bottom), end(right)]),
      ctx.int64s('axes', heightWidth(ctx)),
    ];
    return { name: ctx.node('Slice', inputs), layout: x.layout };
  },
  /** TF.js resizes without aligned corners or half-pixel centres: ONNX's `asymmetric` coordinates. */
  UpSampling2D: (ctx) => {
    const x = ctx.input;
    const size = ctx.config['size'] as [number, number];
    const interpolation = ctx.config['interpolation'] ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      return ctx.fail(`its interpolation ${JSON.stringify(interpolation)} is unknown`, "use 'nearest' or 'bilinear'");
    }
    const [h, w] = heightWidth(ctx);
    const scales = new Array<number>(x.shape.length).fill(1);
    [scales[h], scales[w]] = size;
    const attrs: Record<string, Attr> =
      interpolation === 'nearest'
        ? { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }
        : { mode: 'linear', coordinate_transformation_mode: 'asymmetric' };
    const y = ctx.node('Resize', [x.name, '', ctx.floats('scales', [scales.length], scales)], attrs);
    return { name: y, layout: x.layout };
  },
};
