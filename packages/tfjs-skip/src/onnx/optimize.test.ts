import { describe, expect, it } from 'vitest';
import { OnnxGraph } from './graph.js';
import { nameOutputs, optimize } from './optimize.js';

const summary = (nodes: ReturnType<typeof optimize>) =>
  nodes.map((n) => {
    const perm = n.attribute.find((a) => a.name === 'perm')?.ints.map(Number);
    return `${n.opType}(${n.input.join(',')})${perm ? `[${perm.join(',')}]` : ''}->${n.output.join(',')}`;
  });

describe('optimize', () => {
  it('removes a Transpose pair that cancels, and what only it fed', () => {
    const g = new OnnxGraph();
    const first = g.node('Transpose', ['x'], 'a', { perm: [0, 3, 1, 2] });
    const back = g.node('Transpose', [first], 'b', { perm: [0, 2, 3, 1] });
    const y = g.node('Relu', [back], 'y');
    expect(summary(optimize(g.nodes, [y]))).toEqual(['Relu(x)->y']);
  });

  it('folds two Transposes that do not cancel into one', () => {
    const g = new OnnxGraph();
    const first = g.node('Transpose', ['x'], 'a', { perm: [0, 3, 1, 2] });
    const twice = g.node('Transpose', [first], 'b', { perm: [0, 3, 1, 2] });
    // x[0,1,2,3] -> a = x[0,3,1,2] -> b = a[0,3,1,2] = x[0,2,3,1]
    expect(summary(optimize(g.nodes, [twice]))).toEqual(['Transpose(x)[0,2,3,1]->b']);
  });

  it('keeps a Transpose pair whose result is a graph output, and a Transpose another node still reads', () => {
    const g = new OnnxGraph();
    const first = g.node('Transpose', ['x'], 'a', { perm: [0, 3, 1, 2] });
    const back = g.node('Transpose', [first], 'b', { perm: [0, 2, 3, 1] });
    const y = g.node('Relu', [first], 'y');
    expect(summary(optimize(g.nodes, [back, y]))).toEqual([
      'Transpose(x)[0,3,1,2]->a',
      'Transpose(x)[0,1,2,3]->b',
      'Relu(a)->y',
    ]);
  });
});

describe('nameOutputs', () => {
  it("renames an output's producer, and passes a graph input through an Identity", () => {
    const g = new OnnxGraph();
    const y = g.node('Relu', ['x'], 'dense/Relu');
    const z = g.node('Neg', [y], 'neg');
    expect(summary(nameOutputs(g.nodes, [y, 'x'], ['relu_out', 'x_out']))).toEqual([
      'Relu(x)->relu_out',
      'Neg(relu_out)->neg',
      'Identity(x)->x_out',
    ]);
    expect(z).toBe('neg');
  });
});
