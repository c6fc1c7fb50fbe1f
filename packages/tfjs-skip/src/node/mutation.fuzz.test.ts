/**
 * Random mutations of a valid saved model either load or raise a
 * `ModelFileError`: never another error, never a hang, never a leaked
 * tensor, never a changed `Object.prototype`. JSON mutations delete,
 * replace and rename keys, change numbers and strings, and nest values
 * thousands of levels deep; byte mutations flip, cut, extend and poison the
 * weights. A fixed seed and a modest number of runs in CI; `FUZZ_RUNS` and
 * `FUZZ_SEED` run longer (`npm run fuzz -w tfjs-skip`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipConnection } from '../index.js';
import { fileSystem, loadModelFromDir, ModelFileError } from './index.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 0) || 150;
/** `FUZZ_SEED=random` draws one; fast-check prints it with any counterexample. */
const SEED =
  process.env['FUZZ_SEED'] === 'random' ? Date.now() % 2 ** 31 : Number(process.env['FUZZ_SEED'] ?? 20261123);
const HANG_MS = 20_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const hostileStrings = [
  '__proto__',
  'constructor',
  'toString',
  'has_own_property',
  'valueOf',
  'prototype',
  '../weights.bin',
  '/etc/passwd',
  'file:///etc/passwd',
  'a\\b',
  'w\u0000.bin',
  '',
  'relu',
  'Dense',
  'SkipConnection',
  'Sequential',
  'GlorotUniform',
  'concat',
  'float16',
  'int32',
  'channels_first',
];
const hostileNumbers = [-1, 0, 0.5, 1.5, 3, 1e9, 1e308, -1e9, 2 ** 31, Number.MAX_SAFE_INTEGER + 2];

const value: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(...hostileStrings, ...hostileNumbers, null, true, false, [], {}),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

const jsonMutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value }),
  fc.record({ op: fc.constant('number' as const), at: fc.nat(), value: fc.constantFrom(...hostileNumbers) }),
  fc.record({ op: fc.constant('string' as const), at: fc.nat(), value: fc.constantFrom(...hostileStrings) }),
  fc.record({
    op: fc.constant('rename' as const),
    at: fc.nat(),
    value: fc.constantFrom('__proto__', 'constructor', 'toString', 'class_name', 'config', 'layers', 'units', 'x'),
  }),
  fc.record({ op: fc.constant('deepen' as const), at: fc.nat(), value: fc.integer({ min: 20, max: 5000 }) }),
);

const byteMutation = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), value: fc.constant(0) }),
  fc.record({ op: fc.constant('extend' as const), at: fc.nat({ max: 64 }), value: fc.constant(0) }),
  fc.record({
    op: fc.constant('poison' as const),
    at: fc.nat(),
    value: fc.constantFrom(NaN, Infinity, -Infinity, 3.4e38),
  }),
);

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type JsonMutation = ValueOf<typeof jsonMutation>;
type ByteMutation = ValueOf<typeof byteMutation>;

/** Every (container, key) pair of `root`, in a stable order. */
function slots(root: Json): [Json[] | { [key: string]: Json }, string][] {
  const out: [Json[] | { [key: string]: Json }, string][] = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    for (const key of Object.keys(node)) {
      out.push([node, key]);
      stack.push((node as Record<string, Json>)[key]);
    }
  }
  return out;
}

/** Sets an own property, even `__proto__`, so JSON.stringify writes it. */
function put(container: object, key: string, v: Json): void {
  Object.defineProperty(container, key, { value: v, enumerable: true, writable: true, configurable: true });
}

/**
 * Values nested thousands deep stay out of the object (JSON.stringify would
 * overflow the stack): a placeholder string marks them, and `serialize`
 * writes them as text.
 */
const deepValues: { depth: number; value: Json }[] = [];

function serialize(root: Json): string {
  let text = JSON.stringify(root) ?? '';
  for (let i = deepValues.length - 1; i >= 0; i--) {
    const { depth, value } = deepValues[i];
    text = text.replace(`"@deep${i}@"`, () => '['.repeat(depth) + JSON.stringify(value) + ']'.repeat(depth));
  }
  deepValues.length = 0;
  return text;
}

function mutateJson(root: Json, m: JsonMutation): void {
  const all = slots(root);
  if (all.length === 0) return;
  const [container, key] = all[m.at % all.length];
  const current = (container as Record<string, Json>)[key]!;
  switch (m.op) {
    case 'delete':
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key];
      return;
    case 'replace':
      return put(container, key, m.value);
    case 'number':
      return put(container, key, typeof current === 'number' ? current * m.value : m.value);
    case 'string':
      return put(container, key, m.value);
    case 'rename':
      if (Array.isArray(container)) return;
      delete container[key];
      return put(container, m.value, current);
    case 'deepen':
      deepValues.push({ depth: m.value, value: current });
      return put(container, key, `@deep${deepValues.length - 1}@`);
  }
}

function mutateBytes(bytes: Buffer, m: ByteMutation): Buffer {
  if (m.op === 'cut') return bytes.subarray(0, bytes.length === 0 ? 0 : m.at % bytes.length);
  if (m.op === 'extend') return Buffer.concat([bytes, Buffer.alloc(m.at + 1, 7)]);
  const copy = Buffer.from(bytes);
  if (copy.length < 4) return copy;
  if (m.op === 'flip') copy[m.at % copy.length] ^= m.value;
  else copy.writeFloatLE(m.value, 4 * (m.at % Math.floor(copy.length / 4)));
  return copy;
}

let template: { json: string; weights: Buffer; file: string };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-skip-fuzz-'));
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 6, inputShape: [5], name: 'stem' }),
      skipConnection({
        name: 'res',
        mainPath: [tf.layers.dense({ units: 6, activation: 'relu' }), tf.layers.batchNormalization()],
      }),
      skipConnection({
        name: 'cat',
        how: 'concat',
        mainPath: [tf.layers.dense({ units: 3 })],
        skipPath: [tf.layers.dense({ units: 2, useBias: false })],
      }),
      tf.layers.dense({ units: 2, name: 'head' }),
    ],
  });
  await model.save(fileSystem(dir));
  const json = readFileSync(join(dir, 'model.json'), 'utf8');
  const file = (JSON.parse(json) as tf.io.ModelJSON).weightsManifest[0].paths[0];
  template = { json, weights: readFileSync(join(dir, file)), file };
  model.dispose();
  rmSync(dir, { recursive: true });
});

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`loading hung for ${HANG_MS} ms`)), HANG_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

describe('mutated model folders', () => {
  it('load or raise ModelFileError, without hanging, leaking or polluting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-skip-fuzz-'));
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(jsonMutation, { maxLength: 3 }),
        fc.array(byteMutation, { maxLength: 2 }),
        async (jsonMutations, byteMutations) => {
          const json = JSON.parse(template.json) as Json;
          jsonMutations.forEach((m) => mutateJson(json, m));
          const weights = byteMutations.reduce(mutateBytes, template.weights);
          writeFileSync(join(dir, 'model.json'), serialize(json));
          writeFileSync(join(dir, template.file), weights);
          if (process.env['FUZZ_TRACE'])
            writeFileSync(process.env['FUZZ_TRACE'], JSON.stringify([jsonMutations, byteMutations]));
          const before = tf.memory().numTensors;
          const result = await withTimeout(loadModelFromDir(dir, { maxParameters: 100_000 })).catch((e: unknown) => e);
          if (result instanceof tf.LayersModel) {
            outcomes.set('loaded', (outcomes.get('loaded') ?? 0) + 1);
            result.dispose();
          } else {
            if (!(result instanceof ModelFileError)) throw result;
            outcomes.set(result.problem, (outcomes.get(result.problem) ?? 0) + 1);
          }
          expect(tf.memory().numTensors).toBe(before);
          expect(({} as Record<string, unknown>)['units']).toBeUndefined();
        },
      ),
      // FUZZ_SEED and FUZZ_PATH (both printed with a counterexample) replay one failure.
      {
        numRuns: RUNS,
        seed: SEED,
        endOnFailure: true,
        ...(process.env['FUZZ_PATH'] && { path: process.env['FUZZ_PATH'] }),
      },
    );
    rmSync(dir, { recursive: true });
    // The mutations reach both outcomes and several kinds of refusal.
    if (!process.env['FUZZ_PATH']) {
      expect(outcomes.get('loaded')).toBeGreaterThan(0);
      expect(outcomes.size).toBeGreaterThanOrEqual(5);
    }
    console.log('mutation outcomes:', Object.fromEntries([...outcomes].sort()));
  });
});
