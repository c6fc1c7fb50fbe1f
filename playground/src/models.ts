import * as tf from '@tensorflow/tfjs';
import { skipConnection } from 'tfjs-skip';
import { basicBlock, denseBlock, highway } from 'tfjs-skip/blocks';
import { buildZooModel, ZOO_MODELS, zooModel, type ZooModel } from 'tfjs-skip/zoo';

/** Fashion-MNIST: 28x28 grey images, ten classes. */
export const INPUT_SHAPE = [28, 28, 1];
export const CLASSES = 10;

/** The menu: composing blocks by hand, then every model of the zoo's registry, by id. */
export const MODEL_KINDS: readonly string[] = ['compose', ...ZOO_MODELS.map((m) => m.id)];
export type ModelKind = string;

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

/** What the menu shows for each choice. */
export function labelOf(kind: ModelKind): string {
  return kind === 'compose' ? 'Compose blocks' : `${zooModel(kind).name} (${kind})`;
}

/** The zoo option the form's "width" field sets: the numeric option beside the size, if any. */
function widthOption(m: ZooModel): string | undefined {
  return Object.keys(m.options).find((k) => k !== m.sizedBy && typeof m.options[k].default === 'number');
}

/** Which form fields a choice uses, and what "depth" and "width" mean for it (the registry's words). */
export function fieldsOf(kind: ModelKind): { block: boolean; layers: boolean; depth?: string; width?: string } {
  if (kind === 'compose')
    return { block: true, layers: true, depth: 'blocks', width: 'units / filters (growth rate for dense)' };
  const m = zooModel(kind);
  const width = widthOption(m);
  return {
    block: false,
    layers: false,
    ...(m.sizedBy !== undefined && { depth: m.options[m.sizedBy].description }),
    ...(width !== undefined && { width: m.options[width].description }),
  };
}

/**
 * Why a choice cannot be trained on the sample (one label per image), or
 * `null`: a model with per-pixel logits (U-Net).
 */
export function untrainableReason(kind: ModelKind): string | null {
  if (kind === 'compose' || zooModel(kind).output === 'classes') return null;
  const m = zooModel(kind);
  return (
    `${m.name} outputs per-pixel logits [28, 28, 10], and the Fashion-MNIST sample has one label per image: its ` +
    `summary is shown, training is not offered`
  );
}

const dense = (units: number, activation?: 'relu') => tf.layers.dense({ units, ...(activation && { activation }) });
const conv = (filters: number, strides = 1) =>
  tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal' });

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
      return [
        conv(width),
        tf.layers.batchNormalization(),
        tf.layers.reLU(),
        conv(width),
        tf.layers.batchNormalization(),
        tf.layers.reLU(),
      ];
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
  const stem =
    layers === 'mlp'
      ? [tf.layers.flatten({ inputShape: INPUT_SHAPE }), dense(width, 'relu')]
      : [
          tf.layers.inputLayer({ inputShape: INPUT_SHAPE }),
          conv(width, 2),
          tf.layers.batchNormalization(),
          tf.layers.reLU(),
        ];
  const head = layers === 'mlp' ? [dense(CLASSES)] : [tf.layers.globalAveragePooling2d({}), dense(CLASSES)];
  const blocks = Array.from({ length: depth }, () => block(kind, layers, width)).flat();
  return tf.sequential({ name: `${kind}_${layers}${depth}x${width}`, layers: [...stem, ...blocks, ...head] });
}

/** Builds the chosen model; the library's own errors (a bad depth, ...) reach the caller. */
export function buildChoice(c: ModelChoice): tf.Sequential {
  if (c.kind === 'compose') return compose(c.block, c.layers, c.depth, c.width);
  const m = zooModel(c.kind);
  const width = widthOption(m);
  return buildZooModel(m, {
    inputShape: INPUT_SHAPE,
    classes: CLASSES,
    ...(m.sizedBy !== undefined && { [m.sizedBy]: c.depth }),
    ...(width !== undefined && { [width]: c.width }),
  });
}

/**
 * The twin with or without skips of a choice, trained beside it on the same
 * batches (the registry's twins, and plain blocks for composed ones);
 * `null` where none is defined.
 */
export function twinOf(c: ModelChoice): ModelChoice | null {
  if (c.kind === 'compose') return { ...c, block: c.block === 'plain' ? 'residual' : 'plain' };
  const twin = zooModel(c.kind).twin;
  return twin === undefined ? null : { ...c, kind: twin };
}

/** Where each choice starts when the user picks it: composed blocks, or the zoo model's small configuration. */
export function defaultsOf(kind: ModelKind): Pick<ModelChoice, 'depth' | 'width'> {
  if (kind === 'compose') return { depth: 6, width: 64 };
  const m = zooModel(kind);
  const width = widthOption(m);
  const start = (name: string | undefined) =>
    Number((name !== undefined && (m.small[name] ?? m.options[name].default)) || 0);
  return { depth: start(m.sizedBy), width: start(width) };
}
