import * as tf from '@tensorflow/tfjs';

/**
 * Weights cross between threads as one Float32Array per message (a
 * transferable buffer, never JSON): every variable's values end to end, in a
 * fixed order. These helpers read and write that layout.
 */
export type WeightList = readonly tf.LayerVariable[];

/** A weight's shape. Weights are always fully defined; tfjs types them as nullable `Shape`, so the cast lives here. */
export function weightShape(w: tf.LayerVariable): number[] {
  return w.shape as number[];
}

export function totalSize(shapes: readonly (readonly number[])[]): number {
  return shapes.reduce((sum, shape) => sum + sizeOf(shape), 0);
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The variables' current values, end to end. */
export function readFlat(weights: WeightList): Float32Array {
  const flat = new Float32Array(totalSize(weights.map(weightShape)));
  let offset = 0;
  for (const w of weights) {
    const values = w.read().dataSync();
    flat.set(values, offset);
    offset += values.length;
  }
  return flat;
}

/** Sets the variables from `flat`, starting at `offset`; returns the offset after the last value. */
export function writeFlat(weights: WeightList, flat: Float32Array, offset = 0): number {
  for (const w of weights) {
    const shape = weightShape(w);
    const size = sizeOf(shape);
    const value = tf.tensor(flat.slice(offset, offset + size), shape, 'float32');
    w.write(value);
    value.dispose();
    offset += size;
  }
  if (offset > flat.length) throw new Error(`Expected at least ${offset} weight values, received ${flat.length}.`);
  return offset;
}

/** Splits `flat` into one array per shape (views, no copies). */
export function splitFlat(flat: Float32Array, shapes: readonly (readonly number[])[]): Float32Array[] {
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const shape of shapes) {
    const size = sizeOf(shape);
    parts.push(flat.subarray(offset, offset + size));
    offset += size;
  }
  return parts;
}

/** Refuses weights that are not float32: the flat layout is float32 only. */
export function assertFloat32(weights: WeightList, where: string): void {
  const other = weights.find((w) => w.dtype !== 'float32');
  if (other != null) {
    throw new Error(
      `${where}: weight '${other.name}' has dtype '${other.dtype}'; ` +
        `data-parallel training supports float32 weights only.`,
    );
  }
}
