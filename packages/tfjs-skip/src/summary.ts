import * as tf from '@tensorflow/tfjs';
import { SkipConnection } from './skip_connection.js';
import { formatShape, isShapeList, type Shape } from './shapes.js';
import { walkLayers } from './walk_layers.js';

/** One line of a model summary. */
export interface SummaryRow {
  /** 0 for the model's own layers, +1 per enclosing layer or model ({@link walkLayers}). */
  depth: number;
  /** For a layer inside a SkipConnection: the path it belongs to. */
  path?: 'main' | 'skip';
  /** The layer's name. */
  name: string;
  /** The layer's class (`Dense`, `SkipConnection`, ...). */
  className: string;
  /** `[null,30]`, or `multiple` for a layer called on several shapes. */
  outputShape: string;
  /** Its parameter count, inner layers included. */
  params: number;
}

/** Options of {@link summary} (and {@link summaryRows}, which takes `expandNested`). */
export interface SummaryOptions {
  /** List the layers inside SkipConnections, other composite layers and nested models (Keras's `expand_nested`). */
  expandNested?: boolean;
  /** Where each line goes (default `console.log`). */
  printFn?: (line: string) => void;
}

/** The rows of a summary, for programs that render their own table. */
export function summaryRows(model: tf.LayersModel, options: Pick<SummaryOptions, 'expandNested'> = {}): SummaryRow[] {
  const rows: SummaryRow[] = [];
  // The "(identity)" row of a SkipConnection without a skip path comes after its main path's rows.
  const identities: SummaryRow[] = [];
  const flushIdentities = (depth: number) => {
    while (identities.length > 0 && identities[identities.length - 1].depth > depth) rows.push(identities.pop()!);
  };
  for (const { layer, depth, path } of walkLayers(model)) {
    if (depth > 0 && !options.expandNested) continue;
    flushIdentities(depth);
    rows.push({
      depth,
      ...(path && { path }),
      name: layer.name,
      className: layer.getClassName(),
      outputShape: shapeOf(() => layer.outputShape),
      params: layer.countParams(),
    });
    if (options.expandNested && layer instanceof SkipConnection && layer.skipPath.length === 0) {
      identities.push({
        depth: depth + 1,
        path: 'skip',
        name: '(identity)',
        className: '',
        outputShape: shapeOf(() => (layer.input as tf.SymbolicTensor).shape),
        params: 0,
      });
    }
  }
  flushIdentities(-1);
  return rows;
}

/**
 * A Keras-style summary table of `model`, printed through `printFn` and
 * returned as text. Unlike `model.summary()`, names are never truncated and
 * `expandNested` lists what each SkipConnection holds, path by path.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { skipConnection, summary } from 'tfjs-skip';
 *
 * const model = tf.sequential({
 *   layers: [
 *     tf.layers.dense({ units: 30, inputShape: [50], name: 'd1' }),
 *     skipConnection({
 *       name: 'res',
 *       mainPath: [tf.layers.dense({ units: 15, name: 'd2' }), tf.layers.dense({ units: 30, name: 'd3' })],
 *     }),
 *   ],
 * });
 * const text = summary(model, { expandNested: true, printFn: () => {} });
 * text.includes('Total params: 2,475'); // => true
 * text.includes('  main: d2 (Dense)'); // => true
 * ```
 */
export function summary(model: tf.LayersModel, options: SummaryOptions = {}): string {
  const rows = summaryRows(model, options);
  const label = (r: SummaryRow) =>
    `${'  '.repeat(r.depth)}${r.path ? `${r.path}: ` : ''}${r.name}${r.className ? ` (${r.className})` : ''}`;
  const header = ['Layer (type)', 'Output Shape', 'Param #'] as const;
  const cells = rows.map((r) => [label(r), r.outputShape, r.params.toLocaleString('en-US')] as const);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)) + 3);
  const line = (c: readonly string[]) =>
    c
      .map((s, i) => s.padEnd(widths[i]))
      .join('')
      .trimEnd();
  const width = widths.reduce((a, b) => a + b, 0);
  const trainable = countOf(model.trainableWeights);
  const nonTrainable = countOf(model.nonTrainableWeights);
  const lines = [
    `Model: "${model.name}"`,
    '_'.repeat(width),
    line(header),
    '='.repeat(width),
    ...cells.map(line),
    '='.repeat(width),
    `Total params: ${(trainable + nonTrainable).toLocaleString('en-US')}`,
    `Trainable params: ${trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${nonTrainable.toLocaleString('en-US')}`,
    '_'.repeat(width),
  ];
  const print = options.printFn ?? console.log;
  lines.forEach((l) => print(l));
  return lines.join('\n');
}

function countOf(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
}

function shapeOf(get: () => Shape | Shape[]): string {
  try {
    const shape = get();
    return isShapeList(shape) ? shape.map(formatShape).join(', ') : formatShape(shape);
  } catch {
    return 'multiple';
  }
}
