/**
 * The bytes of an IDX file of unsigned bytes (the inverse of `parseIdxImages`
 * and `parseIdxLabels`): magic `0x000008NN`, the sizes, then `data`.
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new RangeError(`encodeIdx: dimensions [${dims.join(',')}] hold ${size} bytes, but received ${data.length}`);
  }
  const headerSize = 4 + 4 * dims.length;
  const out = new Uint8Array(headerSize + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, headerSize);
  return out;
}
