import { tfCamelCase } from './config_names.js';

const NAME_LISTS = new Set(['inboundNodes', 'outputLayers', 'inputLayers']);

/**
 * TF.js's `convertPythonicToTs` (not exported by `@tensorflow/tfjs`): keys
 * and string values to camelCase, except `name` values and the layer names
 * that open node references. Call it only on a config whose depth was
 * checked (`assertConfigDepth`): it recurses, as TF.js's does. Objects are
 * created with own properties only, so no key can reach a prototype.
 */
export function pythonicToTs(value: unknown, key?: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return tfCamelCase(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value.map((item, i) =>
      key !== undefined && NAME_LISTS.has(key) && i === 0 && typeof item === 'string' ? item : pythonicToTs(item, key),
    );
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const tsKey = k === 'name' && typeof v === 'string' ? k : tfCamelCase(k);
    const tsValue = k === 'name' && typeof v === 'string' ? v : pythonicToTs(v, tsKey);
    Object.defineProperty(out, tsKey, { value: tsValue, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
