import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { plainNet, resNet } from '../index.js';

describe('plainNet', () => {
  it('has the layers of resnet without any SkipConnection, and the same weights', () => {
    const plain = plainNet({ depth: 8, inputShape: [8, 8, 3] });
    const residual = resNet({ depth: 8, inputShape: [8, 8, 3] });
    expect(plain.layers.map((l) => l.getClassName())).not.toContain('SkipConnection');
    expect(plain.weights.map((w) => w.shape)).toEqual(residual.weights.map((w) => w.shape));
    expect(plain.name).toBe('plain8');
    plain.dispose();
    residual.dispose();
  });

  it('refuses depths other than 6n + 2', () => {
    expect(() => plainNet({ depth: 9 })).toThrow(ConfigError);
    expect(() => plainNet({ depth: 9 })).toThrow(/^plainNet depth must be 6n \+ 2 .*20, 32, 44, 56, 110/);
  });
});
