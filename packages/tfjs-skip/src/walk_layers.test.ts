import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { shortcut, skipConnection, walkLayers } from './index.js';

const dense = (units: number, name: string, inputShape?: number[]) =>
  tf.layers.dense({ units, name, ...(inputShape && { inputShape }) });

/** `depth path:name<parent` of every walked layer. */
function walk(model: tf.LayersModel): string[] {
  return [...walkLayers(model)].map(
    ({ layer, depth, path, parent }) => `${depth} ${path ?? '-'}:${layer.name}<${parent.name}`,
  );
}

describe('walkLayers', () => {
  it('yields every layer before the layers it holds, main path then skip path', () => {
    const model = tf.sequential({
      name: 'm',
      layers: [
        dense(4, 'first', [3]),
        skipConnection({
          name: 'outer',
          mainPath: [dense(4, 'a'), skipConnection({ name: 'inner', mainPath: [dense(4, 'b')] }), dense(4, 'c')],
          skipPath: dense(4, 'proj'),
        }),
        dense(2, 'last'),
      ],
    });
    expect(walk(model)).toEqual([
      '0 -:first<m',
      '0 -:outer<m',
      '1 main:a<outer',
      '1 main:inner<outer',
      '2 main:b<inner',
      '1 main:c<outer',
      '1 skip:proj<outer',
      '0 -:last<m',
    ]);
  });

  it("goes into a Shortcut's projection once it is built, and into nested models", () => {
    const nested = tf.sequential({ name: 'nested', layers: [dense(8, 'n1', [32])] });
    const input = tf.input({ shape: [4, 4, 3] });
    const projected = shortcut({ name: 'sc', filters: 8, strides: 2 }).apply(input) as tf.SymbolicTensor;
    const flat = tf.layers.flatten({ name: 'flat' }).apply(projected) as tf.SymbolicTensor;
    const model = tf.model({ name: 'f', inputs: input, outputs: nested.apply(flat) as tf.SymbolicTensor });
    const lines = walk(model);
    expect(lines).toContain('0 -:sc<f');
    expect(lines.filter((l) => l.endsWith('<sc')).map((l) => l.split(':')[0])).toEqual(['1 -', '1 -']);
    expect(
      [...walkLayers(model)].filter(({ parent }) => parent.name === 'sc').map(({ layer }) => layer.getClassName()),
    ).toEqual(['Conv2D', 'BatchNormalization']);
    expect(lines).toContain('0 -:nested<f');
    expect(lines).toContain('1 -:n1<nested');
  });

  it('holds nothing inside an identity Shortcut', () => {
    const input = tf.input({ shape: [4, 4, 8] });
    const model = tf.model({
      name: 'id',
      inputs: input,
      outputs: shortcut({ name: 'same', filters: 8 }).apply(input) as tf.SymbolicTensor,
    });
    expect(walk(model)).toEqual([`0 -:${model.layers[0].name}<id`, '0 -:same<id']);
  });
});
