import { describe, expect, it } from 'vitest';
import { buildZooModel, zooModel } from '../index.js';
import { trainableParams } from '../model_checks.test_support.js';

describe('the densenet-bc entry', () => {
  it("builds the paper's DenseNet-BC by default: L=100, k=12, 0.8M parameters", () => {
    const model = buildZooModel(zooModel('densenet-bc'));
    expect(model.name).toBe('densenet_bc100_k12');
    expect(trainableParams(model)).toBe(769162);
    model.dispose();
  });

  it('takes other 6n + 4 depths', () => {
    const model = buildZooModel(zooModel('densenet-bc'), { depth: 16, growthRate: 4, inputShape: [8, 8, 3] });
    expect(model.name).toBe('densenet_bc16_k4');
    model.dispose();
  });
});
