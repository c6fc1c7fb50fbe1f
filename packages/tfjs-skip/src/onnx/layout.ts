import type { Shape } from '../shapes.js';

/**
 * How an image tensor's axes lie in the ONNX graph: `'channelsLast'` as
 * TF.js keeps them (NHWC, NWC), `'channelsFirst'` as ONNX's Conv and pooling
 * take them (NCHW, NCW). Tensors of rank 2 or less are always channelsLast.
 */
export type Layout = 'channelsLast' | 'channelsFirst';

/** The permutation that takes a channelsLast tensor of rank `rank` to channelsFirst: `[0, r-1, 1, ..., r-2]`. */
export function toChannelsFirst(rank: number): number[] {
  return [0, rank - 1, ...range(1, rank - 1)];
}

/** The permutation that takes a channelsFirst tensor of rank `rank` to channelsLast: `[0, 2, ..., r-1, 1]`. */
export function toChannelsLast(rank: number): number[] {
  return [0, ...range(2, rank), 1];
}

/** Where the TF.js axis `axis` (negative counts from the end) lies in a tensor of rank `rank` laid out as `layout`. */
export function physicalAxis(axis: number, rank: number, layout: Layout): number {
  const a = axis < 0 ? axis + rank : axis;
  if (layout === 'channelsLast' || rank < 3 || a === 0) return a;
  return a === rank - 1 ? 1 : a + 1;
}

/** The ONNX dims of a tensor of TF.js shape `shape` laid out as `layout`. */
export function physicalShape(shape: Shape, layout: Layout): Shape {
  return layout === 'channelsLast' || shape.length < 3 ? shape : toChannelsFirst(shape.length).map((a) => shape[a]!);
}

/** The layout a tensor of rank `rank` can have: channelsFirst only for images and sequences (rank 3 and up). */
export function layoutFor(rank: number, wanted: Layout): Layout {
  return rank < 3 ? 'channelsLast' : wanted;
}

/** `[from, ..., to - 1]`. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
