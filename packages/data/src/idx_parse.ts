import { DataError } from './errors.js';

/**
 * The IDX format (LeCun's MNIST files): a big-endian uint32 magic number
 * `0x0000 08 NN` (type 0x08 = unsigned byte, NN = number of dimensions), NN
 * big-endian uint32 sizes, then the bytes, row-major.
 */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** The magic number of an `idx1-ubyte` labels file: unsigned bytes, one dimension (see {@link IDX_IMAGES_MAGIC}). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** The images of an `idx3-ubyte` file: `count` grey-scale images, row-major. */
export interface IdxImages {
  /** Every image's pixels, uint8, one after the other: `count * height * width` bytes. */
  readonly pixels: Uint8Array;
  /** Number of images. */
  readonly count: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Image width in pixels. */
  readonly width: number;
}

/** Parses an `idx3-ubyte` images file; `file` names it in errors. */
export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const { dims, data } = parseIdx(bytes, file, IDX_IMAGES_MAGIC);
  const [count, height, width] = dims as [number, number, number];
  if (count === 0) throw new DataError(file, 'holds no images (its header says 0)', 'pass a non-empty images file');
  if (height === 0 || width === 0) {
    throw new DataError(
      file,
      `has images of size ${height}x${width}`,
      'pass an images file whose header has non-zero height and width',
    );
  }
  return { pixels: data, count, height, width };
}

/** Parses an `idx1-ubyte` labels file; `file` names it in errors. */
export function parseIdxLabels(bytes: Uint8Array, file: string): Uint8Array {
  const { dims, data } = parseIdx(bytes, file, IDX_LABELS_MAGIC);
  if (dims[0] === 0) throw new DataError(file, 'holds no labels (its header says 0)', 'pass a non-empty labels file');
  return data;
}

function parseIdx(bytes: Uint8Array, file: string, magic: number): { dims: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = bytes.length >= 4 ? view.getUint32(0) : undefined;
  if (found !== magic) throw wrongMagic(file, found, magic);
  const rank = magic & 0xff;
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    throw new DataError(
      file,
      `is ${bytes.length} bytes, shorter than its ${headerSize}-byte IDX header`,
      'the file is truncated: download it again',
    );
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  checkLength(file, bytes.length, headerSize, dims);
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerSize, bytes.length - headerSize) };
}

function checkLength(file: string, length: number, headerSize: number, dims: number[]): void {
  const claimed = headerSize + dims.reduce((a, b) => a * b, 1);
  if (length === claimed) return;
  const remedy =
    length < claimed
      ? 'the file is truncated: download it again'
      : 'the file has extra bytes at its end: download it again';
  throw new DataError(file, `is ${length} bytes but its header (${dims.join('x')}) claims ${claimed}`, remedy);
}

function wrongMagic(file: string, found: number | undefined, expected: number): DataError {
  const what = expected === IDX_IMAGES_MAGIC ? 'images (idx3-ubyte)' : 'labels (idx1-ubyte)';
  const got = found === undefined ? 'is too short to hold a magic number' : `has magic number ${hex(found)}`;
  const remedy =
    found === IDX_LABELS_MAGIC
      ? 'it is a labels file: pass the images (idx3-ubyte) file here'
      : found === IDX_IMAGES_MAGIC
        ? 'it is an images file: pass the labels (idx1-ubyte) file here'
        : 'it is not an IDX file of unsigned bytes: check the path, or download the file again';
  return new DataError(file, `${got}, expected ${hex(expected)} for IDX ${what}`, remedy);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
