import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, LAYER_TABLE, REFUSED_LAYERS } from './layer_table.js';

const doc = readFileSync(new URL('../../docs/keras.md', import.meta.url), 'utf8');

describe('docs/keras.md follows the layer table', () => {
  it.each(LAYER_TABLE.map((e) => e.keras))('lists %s', (name) => expect(doc).toContain(`\`${name}\``));
  it.each([...REFUSED_LAYERS.keys()])('says why %s is refused', (name) => expect(doc).toContain(`\`${name}\``));
  it.each([...ACTIVATIONS.keys()])('lists the activation %s', (name) => expect(doc).toContain(`\`${name}\``));
});
