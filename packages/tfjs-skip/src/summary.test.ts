import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { skipConnection, summary, summaryRows } from './index.js';

const dense = (units: number, name: string) => tf.layers.dense({ units, name });

function unetLike() {
  return tf.sequential({
    name: 'tiny',
    layers: [
      skipConnection({
        name: 'outer',
        inputShape: [6],
        mainPath: [
          dense(4, 'a'),
          skipConnection({ name: 'inner', mainPath: [dense(4, 'b')], how: 'concat' }),
          dense(6, 'c'),
        ],
        skipPath: dense(6, 'proj'),
      }),
    ],
  });
}

describe('summary', () => {
  it('lists top-level layers with shapes and counts, like model.summary()', () => {
    const rows = summaryRows(unetLike());
    expect(rows).toEqual([
      { depth: 0, name: 'outer', className: 'SkipConnection', outputShape: '[null,6]', params: 28 + 20 + 54 + 42 },
    ]);
  });

  it('expands nested paths depth first with the path each layer is on', () => {
    const rows = summaryRows(unetLike(), { expandNested: true });
    expect(rows.map((r) => [r.depth, r.path ?? '', r.name, r.outputShape, r.params])).toEqual([
      [0, '', 'outer', '[null,6]', 144],
      [1, 'main', 'a', '[null,4]', 28],
      [1, 'main', 'inner', '[null,8]', 20],
      [2, 'main', 'b', '[null,4]', 20],
      [2, 'skip', '(identity)', '[null,4]', 0],
      [1, 'main', 'c', '[null,6]', 54],
      [1, 'skip', 'proj', '[null,6]', 42],
    ]);
  });

  it('expands a LayersModel used as a path', () => {
    const inner = tf.sequential({
      name: 'innerModel',
      layers: [tf.layers.dense({ units: 3, inputShape: [3], name: 'm1' })],
    });
    const model = tf.sequential({ layers: [skipConnection({ inputShape: [3], mainPath: inner, name: 's' })] });
    const names = summaryRows(model, { expandNested: true }).map((r) => `${r.depth}:${r.name}`);
    expect(names).toEqual(['0:s', '1:innerModel', '2:m1', '1:(identity)']);
  });

  it('prints a table with totals and untruncated names', () => {
    const lines: string[] = [];
    const text = summary(unetLike(), { expandNested: true, printFn: (l) => lines.push(l) });
    expect(lines.join('\n')).toBe(text);
    expect(text).toContain('Model: "tiny"');
    expect(text).toMatch(/^outer \(SkipConnection\)\s+\[null,6\]\s+144$/m);
    expect(text).toMatch(/^ {4}skip: \(identity\)\s+\[null,4\]\s+0$/m);
    expect(text).toContain('Total params: 144');
    expect(text).toContain('Non-trainable params: 0');
  });
});
