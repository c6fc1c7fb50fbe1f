import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../io/model_file_error.js';
import { readZipEntries, readZipEntriesFrom } from './zip.js';

const weights = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251);
const entries = {
  'config.json': strToU8('{"class_name": "Sequential"}'),
  'assets/unwanted.bin': new Uint8Array(1000),
  'model.weights.h5': weights,
};
const caps = new Map([
  ['config.json', 1000],
  ['model.weights.h5', 20_000],
]);

/** `bytes` in pieces of `size`, each a copy in a buffer of its own, as a file stream gives them. */
function pieces(bytes: Uint8Array, size: number): Iterable<Uint8Array> {
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.slice(i * size, (i + 1) * size));
}

describe('reading a .keras archive', () => {
  it.each([
    ['stored', 0],
    ['deflated', 6],
  ] as const)('%s: the wanted entries, alike from memory and from pieces of any size', async (_, level) => {
    const archive = zipSync(entries, { level });
    const whole = readZipEntries(archive, caps, 'the archive');
    expect([...whole.keys()].sort()).toEqual(['config.json', 'model.weights.h5']);
    expect(whole.get('model.weights.h5')).toEqual(weights);
    for (const size of [1, 7, 4096, 1 << 16]) {
      expect(await readZipEntriesFrom(pieces(archive, size), caps, 'the archive')).toEqual(whole);
    }
  });

  it('keeps a stored entry of an archive in memory as a view of it, not a copy', () => {
    const archive = zipSync(entries, { level: 0 });
    expect(readZipEntries(archive, caps, 'the archive').get('model.weights.h5')!.buffer).toBe(archive.buffer);
  });

  it('stops an entry inflating past its cap when streamed, as when in memory', async () => {
    const archive = zipSync(entries, { level: 6 });
    const small = new Map([...caps, ['model.weights.h5', 10_000]]);
    const error = await readZipEntriesFrom(pieces(archive, 100), small, 'the archive').catch((e: ModelFileError) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problem).toBe('too-large');
    expect((error as ModelFileError).message).toContain('"model.weights.h5" declares 20000 bytes uncompressed');
  });
});
