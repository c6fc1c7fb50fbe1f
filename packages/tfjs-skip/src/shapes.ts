import type * as tf from '@tensorflow/tfjs';

/**
 * A tensor shape as TF.js layers use it: `null` marks an unknown dimension
 * (usually the batch). tfjs types `computeOutputShape` as `Shape | Shape[]`;
 * the helpers here keep the narrowing casts in one place.
 */
export type Shape = tf.Shape;

/** The one shape of a single-input layer, or an error quoting what came in. */
export function exactlyOneShape(shape: Shape | Shape[], who: string): Shape {
  if (isShapeList(shape)) {
    if (shape.length !== 1) {
      throw new TypeError(
        `${who} takes exactly one input, but received ${shape.length} input shapes: ${formatShapes(shape)}`,
      );
    }
    return shape[0];
  }
  return shape;
}

/** True when `shape` is a list of shapes rather than one shape. */
export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** `[null,9,9,64]`: the form error messages and summaries print. */
export function formatShape(shape: Shape): string {
  return `[${shape.map((d) => (d == null ? 'null' : String(d))).join(',')}]`;
}

function formatShapes(shapes: Shape[]): string {
  return shapes.map(formatShape).join(', ');
}

/** Dimensions agree when equal or when either is unknown (`null`). */
export function dimsCompatible(a: number | null, b: number | null): boolean {
  return a == null || b == null || a === b;
}
