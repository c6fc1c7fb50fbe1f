import * as tf from '@tensorflow/tfjs';
import type { OnnxHandler } from '../context.js';
import { float } from '../graph.js';
import { physicalAxis } from '../layout.js';

/** Normalization layers: ONNX BatchNormalization (inference form) and LayerNormalization (opset 17). */
export const normalizationHandlers: Record<string, OnnxHandler> = {
  /**
   * ONNX normalizes over axis 1: a batch of vectors as it is, an image or a
   * sequence channelsFirst. Without `scale` (gamma) or `center` (beta) the
   * missing parameter is ones or zeros, as TF.js computes.
   */
  BatchNormalization: (ctx) => {
    const x = ctx.input;
    const rank = x.shape.length;
    const axis = ctx.config['axis'];
    if (typeof axis !== 'number' || physicalAxis(axis, rank, 'channelsFirst') !== 1) {
      return ctx.fail(
        `it normalizes axis ${JSON.stringify(axis)} of a rank-${rank} input, and the export takes the last axis`,
        'normalize the last (channels) axis, axis: -1',
      );
    }
    const channels = x.shape[rank - 1] as number;
    const gamma = ctx.hasWeight('gamma') ? ctx.weight('gamma') : ctx.derived('gamma', () => tf.ones([channels]));
    const beta = ctx.hasWeight('beta') ? ctx.weight('beta') : ctx.derived('beta', () => tf.zeros([channels]));
    const inputs = [ctx.as(x, 'channelsFirst'), gamma, beta, ctx.weight('moving_mean'), ctx.weight('moving_variance')];
    const y = ctx.node('BatchNormalization', inputs, { epsilon: float(Number(ctx.config['epsilon'])) });
    return { name: y, layout: 'channelsFirst' };
  },
  /** Over the trailing axes `axis` lists (TF.js's default: the last), on a channelsLast tensor. */
  LayerNormalization: (ctx) => {
    const x = ctx.input;
    const rank = x.shape.length;
    const axis = ctx.config['axis'];
    const axes = (Array.isArray(axis) ? (axis as number[]) : [axis as number]).map((a) => (a < 0 ? a + rank : a));
    const first = Math.min(...axes);
    const trailing = [...axes].sort((a, b) => a - b).every((a, i) => a === first + i) && Math.max(...axes) === rank - 1;
    if (!trailing) {
      return ctx.fail(
        `it normalizes axes ${JSON.stringify(axis)} of a rank-${rank} input; ONNX normalizes trailing axes`,
        'normalize the last axes (axis: -1)',
      );
    }
    const dims = x.shape.slice(first) as number[];
    const scale = ctx.hasWeight('gamma') ? ctx.weight('gamma') : ctx.derived('gamma', () => tf.ones(dims));
    const bias = ctx.hasWeight('beta') ? ctx.weight('beta') : ctx.derived('beta', () => tf.zeros(dims));
    const y = ctx.node('LayerNormalization', [ctx.as(x, 'channelsLast'), scale, bias], {
      axis: first,
      epsilon: float(Number(ctx.config['epsilon'])),
    });
    return { name: y, layout: 'channelsLast' };
  },
};
