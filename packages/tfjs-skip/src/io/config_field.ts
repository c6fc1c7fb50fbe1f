/** A plain JSON object (not an array, not null). */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `node[camel]`, or its Keras snake_case spelling (`className` or
 * `class_name`), by own key only: a saved config may use either, and
 * nothing is read from a prototype.
 */
export function field(node: unknown, camel: string): unknown {
  if (!isRecord(node)) return undefined;
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  for (const key of [camel, snake]) if (Object.prototype.hasOwnProperty.call(node, key)) return node[key];
  return undefined;
}
