import { readdirSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { buildZooModel, parseZooName, ZOO_MODEL_IDS, ZOO_MODELS, zooModel } from './index.js';

const modelFiles = readdirSync(new URL('./models/', import.meta.url)).filter((f) => f.endsWith('.ts'));

describe('the model registry', () => {
  it('has one entry per file of src/zoo/models/, and a test beside each', () => {
    const names = modelFiles.filter((f) => !f.endsWith('.test.ts')).map((f) => f.slice(0, -3));
    expect([...ZOO_MODEL_IDS].sort()).toEqual(names.map((name) => name.replaceAll('_', '-')).sort());
    for (const name of names) expect(modelFiles, `src/zoo/models/${name}.test.ts`).toContain(`${name}.test.ts`);
  });

  it.each(ZOO_MODELS.map((m) => [m.id, m] as const))(
    '%s: has a builder, a description, a source and a docs section',
    (_, m) => {
      expect(m.builder).toBeTypeOf('function');
      expect(m.description.length).toBeGreaterThan(20);
      expect(m.source.length).toBeGreaterThan(10);
      expect(m.docs).toMatch(/^### `.+`\n/);
      expect(m.docs).toMatch(/~~~ts\n[\s\S]*\/\/ => [\s\S]*\n~~~\n/);
      for (const [name, option] of Object.entries(m.options)) {
        expect(option.description, `${m.id} option ${name}`).not.toBe('');
        if (typeof option.default === 'number')
          expect(option.check?.(option.default) ?? null, `${m.id} ${name} default`).toBeNull();
      }
      if (m.sizedBy !== undefined) expect(Object.keys(m.options)).toContain(m.sizedBy);
    },
  );

  it.each(ZOO_MODELS.map((m) => [m.id, m] as const))(
    '%s: its small configuration builds and outputs what the entry says',
    (_, m) => {
      const model = buildZooModel(m, { ...m.small, classes: 3 });
      const shape = model.outputs[0].shape;
      if (m.output === 'classes') expect(shape).toEqual([null, 3]);
      else expect(shape).toEqual([null, ...(m.small.inputShape as number[]).slice(0, -1), 3]);
      model.dispose();
    },
  );

  it('pairs twins both ways: one with skips, one without, the same weights', () => {
    const twins = ZOO_MODELS.filter((m) => m.twin !== undefined);
    expect(twins.map((m) => m.id).sort()).toEqual(['mlp', 'plain', 'residual-mlp', 'resnet']);
    for (const m of twins) {
      const twin = zooModel(m.twin!);
      expect(twin.twin).toBe(m.id);
      expect(twin.residual).toBe(!m.residual);
      const [a, b] = [m, twin].map((x) => buildZooModel(x, m.small));
      expect(a.weights.map((w) => w.shape)).toEqual(b.weights.map((w) => w.shape));
      tf.dispose([a, b].flatMap((x) => x.weights.map((w) => w.read())));
    }
  });

  it('reads command-line names: an id, or an id and its size', () => {
    expect(parseZooName('toy-resnet')).toEqual({ model: zooModel('toy-resnet'), args: {} });
    expect(parseZooName('resnet-20')).toEqual({ model: zooModel('resnet'), args: { depth: 20 } });
    expect(parseZooName('densenet-bc-100')).toEqual({ model: zooModel('densenet-bc'), args: { depth: 100 } });
    expect(parseZooName('residual-mlp-32')).toEqual({ model: zooModel('residual-mlp'), args: { depth: 32 } });
    expect(parseZooName('toy-resnet-8')).toBeNull(); // toy-resnet has no size
    expect(parseZooName('resnet-')).toBeNull();
    expect(parseZooName('vgg-16')).toBeNull();
  });

  it('checks options against their rules before building, naming the model', () => {
    expect(() => buildZooModel(zooModel('resnet'), { depth: 21 })).toThrow(ConfigError);
    expect(() => buildZooModel(zooModel('resnet'), { depth: 21 })).toThrow(
      /^resnet depth must be 6n \+ 2 .* but received 21$/,
    );
    expect(() => buildZooModel(zooModel('densenet-bc'), { depth: 41 })).toThrow(
      /^densenet-bc depth must be 6n \+ 4 with bottleneck/,
    );
    expect(() => buildZooModel(zooModel('mlp'), { depth: 5 })).toThrow(/^mlp depth must be 2k \+ 2/);
    expect(() => zooModel('vgg')).toThrow(/no zoo model "vgg"; the zoo has densenet-bc, densenet, /);
  });
});
