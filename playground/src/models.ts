import * as tf from '@tensorflow/tfjs';
import { skipConnection } from 'tfjs-skip';
import { basicBlock, denseBlock, highway } from 'tfjs-skip/blocks';
import { denseNet, highwayNet, plainNet, resnet, toyResNet, unet } from 'tfjs-skip/zoo';

/** Fashion-MNIST: 28x28 grey images, ten classes. */
export const INPUT_SHAPE = [28, 28, 1];
export const CLASSES = 10;

export const MODEL_KINDS = ['compose', 'toyResNet', 'resnet', 'plainNet', 'denseNet', 'highwayNet', 'unet'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const BLOCK_KINDS = ['residual', 'dense', 'highway', 'plain'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

export const LAYER_KINDS = ['mlp', 'conv'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

/** Everything the model form holds. */
export interface ModelChoice {
  kind: ModelKind;
  block: BlockKind;
  layers: LayerKind;
  depth: number;
  width: number;
}

/** What the form offers for each choice, shown next to it. */
export const MODEL_LABELS: Record<ModelKind, string> = {
  compose: 'Compose blocks',
  toyResNet: 'toyResNet (Keras guide)',
  resnet: 'resnet (6n+2, He et al.)',
  plainNet: 'plainNet (6n+2, no shortcuts)',
  denseNet: 'denseNet (3n+4, Huang et al.)',
  highwayNet: 'highwayNet (Srivastava et al.)',
  unet: 'unet (per-pixel logits)',
};

/** Which form fields a choice uses, and what "depth" and "width" mean for it. */
export function fieldsOf(kind: ModelKind): { block: boolean; layers: boolean; depth?: string; width?: string } {
  switch (kind) {
    case 'compose':
      return { block: true, layers: true, depth: 'blocks', width: 'units / filters (growth rate for dense)' };
    case 'toyResNet':
      return { block: false, layers: false };
    case 'resnet':
    case 'plainNet':
      return { block: false, layers: false, depth: 'weighted layers, 6n + 2 (8, 14, 20, ...)' };
    case 'denseNet':
      return { block: false, layers: false, depth: 'depth, 3n + 4 (7, 10, 13, 40, ...)', width: 'growth rate k' };
    case 'highwayNet':
      return { block: false, layers: false, depth: 'highway layers', width: 'units' };
    case 'unet':
      return { block: false, layers: false, depth: 'down-samplings (28 must divide by 2^depth: 1 or 2)', width: 'filters of the first level' };
  }
}

/**
 * Why a choice cannot be trained on the sample (one label per image), or
 * `null`: U-Net outputs a label per pixel.
 */
export function untrainableReason(kind: ModelKind): string | null {
  return kind === 'unet' ? 'U-Net outputs per-pixel logits [28, 28, 10], and the Fashion-MNIST sample has one label per image: its summary is shown, training is not offered' : null;
}

const dense = (units: number, activation?: 'relu') => tf.layers.dense({ units, ...(activation && { activation }) });
const conv = (filters: number, strides = 1) => tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal' });

/** One composed block, as layers to spread into a Sequential. */
function block(kind: BlockKind, layers: LayerKind, width: number): tf.layers.Layer[] {
  if (layers === 'mlp') {
    switch (kind) {
      case 'residual':
        return [skipConnection({ mainPath: [dense(width, 'relu'), dense(width)] }), tf.layers.reLU()];
      case 'dense':
        return [skipConnection({ mainPath: dense(width, 'relu'), how: 'concat' })];
      case 'highway':
        return [highway({ activation: 'relu' })];
      case 'plain':
        return [dense(width, 'relu'), dense(width), tf.layers.reLU()];
    }
  }
  switch (kind) {
    case 'residual':
      return basicBlock({ filters: width });
    case 'dense':
      return denseBlock({ layers: 1, growthRate: width });
    case 'highway':
      return [highway({ activation: 'relu' })];
    case 'plain':
      return [conv(width), tf.layers.batchNormalization(), tf.layers.reLU(), conv(width), tf.layers.batchNormalization(), tf.layers.reLU()];
  }
}

/**
 * A network composed of `depth` blocks of one kind. MLP: flatten, a dense
 * stem to `width`, the blocks, a dense head. Conv: a stride-2 3x3 conv stem
 * (14x14, `width` channels), the blocks, global average pooling, a dense head.
 * The plain blocks hold the same layers as the residual ones, without the
 * skip, so the two are twins with equal parameter counts.
 */
export function compose(kind: BlockKind, layers: LayerKind, depth: number, width: number): tf.Sequential {
  const stem = layers === 'mlp'
    ? [tf.layers.flatten({ inputShape: INPUT_SHAPE }), dense(width, 'relu')]
    : [tf.layers.inputLayer({ inputShape: INPUT_SHAPE }), conv(width, 2), tf.layers.batchNormalization(), tf.layers.reLU()];
  const head = layers === 'mlp' ? [dense(CLASSES)] : [tf.layers.globalAveragePooling2d({}), dense(CLASSES)];
  const blocks = Array.from({ length: depth }, () => block(kind, layers, width)).flat();
  return tf.sequential({ name: `${kind}_${layers}${depth}x${width}`, layers: [...stem, ...blocks, ...head] });
}

/** Builds the chosen model; the library's own errors (a bad depth, ...) reach the caller. */
export function buildModel(c: ModelChoice): tf.Sequential {
  const common = { inputShape: INPUT_SHAPE, classes: CLASSES };
  switch (c.kind) {
    case 'compose':
      return compose(c.block, c.layers, c.depth, c.width);
    case 'toyResNet':
      return toyResNet(common);
    case 'resnet':
      return resnet({ ...common, depth: c.depth });
    case 'plainNet':
      return plainNet({ ...common, depth: c.depth });
    case 'denseNet':
      return denseNet({ ...common, depth: c.depth, growthRate: c.width });
    case 'highwayNet':
      return highwayNet({ ...common, depth: c.depth, units: c.width });
    case 'unet':
      return unet({ ...common, depth: c.depth, filters: c.width });
  }
}

/**
 * The plain twin of a residual choice and the residual twin of a plain one,
 * trained beside it on the same batches; `null` where none is defined.
 */
export function twinOf(c: ModelChoice): ModelChoice | null {
  if (c.kind === 'compose') return { ...c, block: c.block === 'plain' ? 'residual' : 'plain' };
  if (c.kind === 'resnet') return { ...c, kind: 'plainNet' };
  if (c.kind === 'plainNet') return { ...c, kind: 'resnet' };
  return null;
}

/** Defaults per choice, applied when the user picks it. */
export const DEFAULTS: Record<ModelKind, Pick<ModelChoice, 'depth' | 'width'>> = {
  compose: { depth: 6, width: 64 },
  toyResNet: { depth: 0, width: 0 },
  resnet: { depth: 8, width: 0 },
  plainNet: { depth: 8, width: 0 },
  denseNet: { depth: 10, width: 12 },
  highwayNet: { depth: 10, width: 50 },
  unet: { depth: 2, width: 8 },
};
