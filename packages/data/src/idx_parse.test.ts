import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { encodeIdx } from './idx_encode.js';
import { parseIdxImages, parseIdxLabels } from './idx_parse.js';

// Two 2x3 images written out byte by byte, as the IDX spec lays them out:
// an independent oracle for the parser (not produced by encodeIdx).
const twoImages = Uint8Array.from([
  0x00,
  0x00,
  0x08,
  0x03, // magic: unsigned bytes, 3 dimensions
  0x00,
  0x00,
  0x00,
  0x02, // 2 images
  0x00,
  0x00,
  0x00,
  0x02, // 2 rows
  0x00,
  0x00,
  0x00,
  0x03, // 3 columns
  1,
  2,
  3,
  4,
  5,
  6,
  250,
  251,
  252,
  253,
  254,
  255,
]);

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

describe('parseIdxImages', () => {
  it('reads count, height, width and the pixels row-major', () => {
    const images = parseIdxImages(twoImages, 'x.idx3');
    expect([images.count, images.height, images.width]).toEqual([2, 2, 3]);
    expect([...images.pixels]).toEqual([1, 2, 3, 4, 5, 6, 250, 251, 252, 253, 254, 255]);
  });

  it('reads what encodeIdx writes, and that is the spec layout', () => {
    expect(encodeIdx([2, 2, 3], twoImages.subarray(16))).toEqual(twoImages);
  });

  it('rejects a labels file passed as images, and says so', () => {
    const error = errorOf(() => parseIdxImages(encodeIdx([3], Uint8Array.of(1, 2, 3)), 'data/labels.gz'));
    expect(error.message).toBe(
      'data/labels.gz: has magic number 0x00000801, expected 0x00000803 for IDX images (idx3-ubyte); it is a labels ' +
        'file: pass the images (idx3-ubyte) file here',
    );
    expect(error.path).toBe('data/labels.gz');
  });

  it('rejects a file that is not IDX', () => {
    const error = errorOf(() => parseIdxImages(new TextEncoder().encode('<html>not found</html>'), 'a.bin'));
    expect(error.message).toMatch(/^a\.bin: has magic number 0x3c68746d, expected 0x00000803 .*not an IDX file/);
  });

  it('rejects a file too short for a magic number or a header', () => {
    expect(errorOf(() => parseIdxImages(Uint8Array.of(0, 0), 'a')).message).toMatch(
      /^a: is too short to hold a magic number/,
    );
    expect(errorOf(() => parseIdxImages(twoImages.subarray(0, 10), 'a')).message).toBe(
      'a: is 10 bytes, shorter than its 16-byte IDX header; the file is truncated: download it again',
    );
  });

  it('rejects a truncated file, quoting its length and the header claim', () => {
    const error = errorOf(() => parseIdxImages(twoImages.subarray(0, 27), 'train.gz'));
    expect(error.message).toBe(
      'train.gz: is 27 bytes but its header (2x2x3) claims 28; the file is truncated: download it again',
    );
  });

  it('rejects extra bytes after the data', () => {
    const longer = Uint8Array.from([...twoImages, 0]);
    expect(errorOf(() => parseIdxImages(longer, 'f')).message).toMatch(
      /^f: is 29 bytes but its header \(2x2x3\) claims 28; the file has extra bytes/,
    );
  });

  it('rejects empty files and empty images', () => {
    expect(errorOf(() => parseIdxImages(encodeIdx([0, 28, 28], new Uint8Array(0)), 'f')).message).toMatch(
      /holds no images/,
    );
    expect(errorOf(() => parseIdxImages(encodeIdx([4, 0, 28], new Uint8Array(0)), 'f')).message).toMatch(
      /has images of size 0x28/,
    );
  });
});

describe('parseIdxLabels', () => {
  it('reads the labels', () => {
    expect([...parseIdxLabels(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9), 'l')]).toEqual([7, 0, 9]);
  });

  it('rejects an images file passed as labels', () => {
    expect(errorOf(() => parseIdxLabels(twoImages, 'imgs')).message).toMatch(
      /^imgs: has magic number 0x00000803, expected 0x00000801 for IDX labels \(idx1-ubyte\); it is an images file/,
    );
  });

  it('rejects a truncated labels file and an empty one', () => {
    expect(errorOf(() => parseIdxLabels(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 7), 'l')).message).toMatch(
      /^l: is 9 bytes but its header \(3\) claims 11/,
    );
    expect(errorOf(() => parseIdxLabels(encodeIdx([0], new Uint8Array(0)), 'l')).message).toMatch(/holds no labels/);
  });
});

describe('encodeIdx', () => {
  it('refuses data that does not fill the dimensions, quoting both', () => {
    expect(() => encodeIdx([2, 3], new Uint8Array(5))).toThrow(
      'encodeIdx: dimensions [2,3] hold 6 bytes, but received 5',
    );
  });
});
