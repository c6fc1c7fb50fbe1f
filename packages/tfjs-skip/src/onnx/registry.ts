import type { OnnxHandler } from './context.js';
import { activationHandlers } from './handlers/activations.js';
import { convHandlers } from './handlers/conv.js';
import { coreHandlers } from './handlers/core.js';
import { mergeHandlers } from './handlers/merge.js';
import { normalizationHandlers } from './handlers/normalization.js';
import { poolingHandlers } from './handlers/pooling.js';
import { reshapingHandlers } from './handlers/reshaping.js';
import { modelHandlers, skipHandlers } from './handlers/skip.js';

/**
 * The export's one table: a handler per TF.js layer class (its
 * `getClassName()`), gathered from one file per family of layers. A class
 * missing here is refused by name; docs/onnx.md lists this table.
 */
const HANDLERS: ReadonlyMap<string, OnnxHandler> = new Map(
  [
    coreHandlers,
    activationHandlers,
    convHandlers,
    poolingHandlers,
    normalizationHandlers,
    mergeHandlers,
    reshapingHandlers,
    skipHandlers,
    modelHandlers,
  ].flatMap((table) => Object.entries(table)),
);

/** The handler of the layer class `className`, or `undefined`. */
export function handlerFor(className: string): OnnxHandler | undefined {
  return HANDLERS.get(className);
}

/**
 * Every layer class `toOnnx` exports, sorted.
 *
 * @example
 * ```ts
 * import { ONNX_LAYER_CLASSES } from 'tfjs-skip';
 *
 * ['SkipConnection', 'Conv2D', 'BatchNormalization'].every((c) => ONNX_LAYER_CLASSES.includes(c)); // => true
 * ONNX_LAYER_CLASSES.includes('LSTM'); // => false
 * ```
 */
export const ONNX_LAYER_CLASSES: readonly string[] = [...HANDLERS.keys()].sort();
