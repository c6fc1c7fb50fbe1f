import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { assertSafeNames, isPrototypeName, tfCamelCase } from './config_names.js';

const dense = (config: object = {}) => ({ className: 'Dense', config: { units: 2, ...config } });
const sequential = (...layers: object[]) => ({ className: 'Sequential', config: { name: 'm', layers } });
const problemOf = (topology: unknown): string | undefined => {
  try {
    assertSafeNames(topology, 'm.json');
    return undefined;
  } catch (e) {
    return (e as { problem?: string }).problem;
  }
};

describe('assertSafeNames', () => {
  it('accepts what TF.js saves, in both key styles', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 3, inputShape: [2], kernelRegularizer: 'l1l2', kernelConstraint: 'maxNorm' })],
    });
    expect(problemOf(model.toJSON(null, false))).toBeUndefined();
    expect(problemOf(sequential(dense()))).toBeUndefined();
    model.dispose();
  });

  it.each([
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'has_own_property',
    'to_string',
    '__defineGetter__',
  ])('refuses %s as a class, activation, initializer, regularizer, constraint, merge or name, nested too', (bad) => {
    expect(problemOf(sequential({ className: bad, config: {} }))).toBe('prototype-key');
    expect(problemOf(sequential(dense({ activation: bad })))).toBe('prototype-key');
    expect(problemOf(sequential(dense({ kernelInitializer: bad })))).toBe('prototype-key');
    expect(problemOf(sequential(dense({ kernelInitializer: { className: bad, config: {} } })))).toBe('prototype-key');
    expect(problemOf(sequential(dense({ kernelRegularizer: { class_name: bad, config: {} } })))).toBe('prototype-key');
    expect(problemOf(sequential(dense({ biasConstraint: bad })))).toBe('prototype-key');
    expect(problemOf(sequential({ className: 'SkipConnection', config: { how: bad, mainPath: [dense()] } }))).toBe(
      'prototype-key',
    );
    expect(
      problemOf(
        sequential({
          className: 'SkipConnection',
          config: { mainPath: [{ className: 'SkipConnection', config: { mainPath: [dense({ activation: bad })] } }] },
        }),
      ),
    ).toBe('prototype-key');
    expect(problemOf(sequential(dense({ name: bad })))).toBe('prototype-key');
  });

  it('refuses keys that reach the prototype, including an own __proto__ from JSON.parse', () => {
    const parsed: unknown = JSON.parse(
      '{"className":"Sequential","config":{"layers":[' +
        '{"className":"Dense","config":{"units":2,"__proto__":{"units":9}}}]}}',
    );
    expect(problemOf(parsed)).toBe('prototype-key');
    expect(problemOf(sequential(dense({ constructor: 1 })))).toBe('prototype-key');
    expect(problemOf(sequential(dense({ to_string: 1 })))).toBe('prototype-key');
  });

  it('refuses unregistered classes anywhere, and non-layers where layers belong', () => {
    expect(problemOf(sequential({ className: 'Evil', config: {} }))).toBe('unknown-class');
    expect(problemOf(sequential(dense({ kernelInitializer: { className: 'Evil', config: {} } })))).toBe(
      'unknown-class',
    );
    expect(problemOf(sequential({ className: 'GlorotUniform', config: {} }))).toBe('unknown-class');
    expect(
      problemOf(sequential({ className: 'SkipConnection', config: { mainPath: [{ className: 'Adam', config: {} }] } })),
    ).toBe('unknown-class');
    expect(
      problemOf(
        sequential({
          className: 'SkipConnection',
          config: { skip_path: [{ className: 'L1L2', config: {} }], main_path: [dense()] },
        }),
      ),
    ).toBe('unknown-class');
    expect(
      problemOf(sequential({ className: 'TimeDistributed', config: { layer: { className: 'Zeros', config: {} } } })),
    ).toBe('unknown-class');
    expect(problemOf({ className: 'Dense', config: {} })).toBe('unknown-class');
    expect(problemOf({ model_config: { class_name: 'Zeros', config: {} } })).toBe('unknown-class');
    expect(
      problemOf({ className: 'Model', config: { layers: [{ className: 'Dense', config: {}, inboundNodes: [] }] } }),
    ).toBeUndefined();
  });

  it('leaves Object.prototype untouched while refusing', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).join();
    problemOf(JSON.parse('{"__proto__":{"polluted":1},"className":"Sequential","config":{}}'));
    expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('names', () => {
  it('camel-cases as TF.js does', () => {
    expect(tfCamelCase('has_own_property')).toBe('hasOwnProperty');
    expect(tfCamelCase('__proto__')).toBe('Proto');
    expect(tfCamelCase('relu')).toBe('relu');
  });
  it('knows the prototype members', () => {
    expect(['__proto__', 'constructor', 'toString', 'isPrototypeOf', 'prototype'].every(isPrototypeName)).toBe(true);
    expect(['relu', 'Dense', 'add', 'name'].some(isPrototypeName)).toBe(false);
  });
});
