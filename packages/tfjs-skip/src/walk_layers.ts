import * as tf from '@tensorflow/tfjs';
import { CompositeLayer } from './composite_layer.js';
import { SkipConnection } from './skip_connection.js';

type Layer = tf.layers.Layer;

/** One layer met by {@link walkLayers}. */
export interface WalkedLayer {
  /** The layer. */
  readonly layer: Layer;
  /** 0 for the model's own layers, +1 per enclosing layer (a SkipConnection, a Shortcut, a nested model). */
  readonly depth: number;
  /** The layer or model that holds this one: the walked model itself at depth 0. */
  readonly parent: Layer | tf.LayersModel;
  /** For a layer directly inside a SkipConnection: the path it belongs to. */
  readonly path?: 'main' | 'skip';
}

/**
 * Every layer of `model`, depth first, each before the layers it holds: the
 * model's own layers; inside a `SkipConnection` its main path, then its
 * skip path; inside any other `CompositeLayer` (`Shortcut`) its
 * `innerLayers`; inside a nested model its layers. The one walk of a layer
 * tree: the summary, precise BatchNorm and the playground's gradient rows
 * read it, so a layer that owns others is found by all of them once it
 * lists them in `innerLayers`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { skipConnection, walkLayers } from 'tfjs-skip';
 *
 * const model = tf.sequential({
 *   layers: [
 *     skipConnection({
 *       name: 'res',
 *       inputShape: [4],
 *       mainPath: [tf.layers.dense({ units: 4, name: 'd1' })],
 *       skipPath: [tf.layers.dense({ units: 4, name: 'd2' })],
 *     }),
 *   ],
 * });
 * const walked = [...walkLayers(model)].map(({ layer, depth, path }) => `${depth}${path ?? ''}:${layer.name}`);
 * walked.join(' '); // => '0:res 1main:d1 1skip:d2'
 * ```
 */
export function* walkLayers(model: tf.LayersModel): Generator<WalkedLayer, void, undefined> {
  yield* walkInside(model, 0);
}

function* walkInside(parent: Layer | tf.LayersModel, depth: number): Generator<WalkedLayer, void, undefined> {
  for (const { layer, path } of heldLayers(parent)) {
    yield { layer, depth, parent, ...(path && { path }) };
    yield* walkInside(layer, depth + 1);
  }
}

/** The layers `layer` holds directly, in weight order, with their SkipConnection path. */
function heldLayers(layer: Layer | tf.LayersModel): Array<{ layer: Layer; path?: 'main' | 'skip' }> {
  if (layer instanceof SkipConnection) {
    return [
      ...layer.mainPath.map((inner) => ({ layer: inner, path: 'main' as const })),
      ...layer.skipPath.map((inner) => ({ layer: inner, path: 'skip' as const })),
    ];
  }
  if (layer instanceof CompositeLayer) return layer.innerLayers.map((inner) => ({ layer: inner }));
  if (layer instanceof tf.LayersModel) return layer.layers.map((inner) => ({ layer: inner }));
  return [];
}
