import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAYER_TABLE } from '../keras/layer_table.js';
import { ONNX_ACTIVATIONS } from './handlers/activations.js';
import { ONNX_LAYER_CLASSES } from './registry.js';

const doc = readFileSync(new URL('../../../../docs/onnx.md', import.meta.url), 'utf8');
const [exported, missing] = doc.split('## What does not, yet') as [string, string];

describe('docs/onnx.md follows the handler table', () => {
  it.each(ONNX_LAYER_CLASSES)('lists %s as exported', (name) => expect(exported).toContain(`\`${name}\``));
  it.each(ONNX_ACTIVATIONS)('lists the activation %s', (name) => expect(exported).toContain(`\`${name}\``));
  const bridgeOnly = LAYER_TABLE.map((e) => e.tfjs).filter(
    (c) => c !== 'InputLayer' && !ONNX_LAYER_CLASSES.includes(c),
  );
  it.each(bridgeOnly)('says the Keras-bridge layer %s does not export yet', (name) => {
    expect(missing).toContain(`\`${name}\``);
  });
});
