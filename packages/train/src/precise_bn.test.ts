import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Shortcut, SkipConnection } from 'tfjs-skip';
import { resNet } from 'tfjs-skip/zoo';
import type { Dataset } from 'tfjs-skip-data';
import { batchNormLayers, preciseBatchNorm } from './precise_bn.js';

/** A ResNet-8 on 8x8 RGB images, with projection shortcuts: BatchNorm in main paths and in Shortcuts. */
function projectionResNet(): tf.Sequential {
  return resNet({ depth: 8, inputShape: [8, 8, 3], classes: 3, shortcut: 'projection' });
}

function randomImages(count: number): Dataset {
  const images = Uint8Array.from({ length: count * 8 * 8 * 3 }, (_, i) => (i * 37) % 256);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 3);
  return { images, labels, count, height: 8, width: 8, channels: 3, classes: 3, classNames: ['a', 'b', 'c'] };
}

describe('precise BatchNorm', () => {
  it("finds the BatchNorm layers inside SkipConnection paths and inside Shortcuts' projections", () => {
    const model = projectionResNet();
    const found = batchNormLayers(model);
    const projections = model.layers
      .flatMap((layer) => (layer instanceof SkipConnection ? layer.skipPath : []))
      .filter((layer): layer is Shortcut => layer instanceof Shortcut && layer.kind === 'projection');
    const inProjections = projections.flatMap((shortcut) =>
      shortcut.innerLayers.filter((layer) => layer.getClassName() === 'BatchNormalization'),
    );
    expect(inProjections.length).toBe(2); // the two stages that double the channels
    for (const layer of inProjections) expect(found).toContain(layer);
    expect(found.length).toBe(1 + 3 * 2 + 2); // the stem, two per block, one per projection
    model.dispose();
  });

  it("replaces every BatchNorm's moving statistics, projections' included, and restores the momentum", () => {
    const model = projectionResNet();
    const layers = batchNormLayers(model);
    const before = layers.map((layer) => layer.getWeights().map((w) => w.dataSync().slice()));
    preciseBatchNorm(model, randomImages(16), 1, 2, 8);
    layers.forEach((layer, i) => {
      const [, , movingMean] = layer.getWeights();
      expect(Array.from(movingMean!.dataSync()), layer.name).not.toEqual(Array.from(before[i]![2]!));
      expect((layer.getConfig() as { momentum: number }).momentum).toBe(0.99);
    });
    model.dispose();
  });
});
