import type * as tf from '@tensorflow/tfjs';

type Info = tf.backend_util.Conv2DInfo;

/**
 * The 18 integers the addon reads a convolution or pooling window from
 * (`native/geometry.hh`), or null when oneDNN cannot take it as TF.js
 * means it: channels-first data, or padding that does not give TF.js's
 * output size (the caller then runs the cpu kernel).
 */
export function geometry(info: Info, groups = 1): number[] | null {
  if (info.dataFormat !== 'channelsLast') return null;
  const { top, left, bottom, right } = info.padInfo;
  if ([top, left, bottom, right].some((p) => !Number.isInteger(p) || p < 0)) return null;
  const fits = (size: number, before: number, after: number, filter: number, dilation: number, stride: number) =>
    Math.floor((size + before + after - ((filter - 1) * dilation + 1)) / stride) + 1;
  const outHeight = fits(info.inHeight, top, bottom, info.filterHeight, info.dilationHeight, info.strideHeight);
  const outWidth = fits(info.inWidth, left, right, info.filterWidth, info.dilationWidth, info.strideWidth);
  if (outHeight !== info.outHeight || outWidth !== info.outWidth || outHeight < 1 || outWidth < 1) return null;
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    top,
    left,
    bottom,
    right,
    groups,
  ];
}
