/**
 * Every folder of the committed hostile corpus (`test/hostile/cases`, written
 * by `test/hostile/make_corpus.ts`) is refused by `loadModelFromDir`, and by
 * `tf.loadLayersModel(fileSystem(...))`, with the
 * `ModelFileError` problem its expected.json names, without opening any file
 * outside the model folder, without leaving a tensor or variable behind, and
 * without touching `Object.prototype`.
 */
import fs from 'node:fs';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import '../index.js';
import { fileSystem, loadModelFromDir, ModelFileError } from './index.js';

/** The two ways a user loads a folder: our loader, and TF.js's with our handler. */
const entryPoints = {
  loadModelFromDir: (dir: string, options?: object) => loadModelFromDir(dir, options),
  'tf.loadLayersModel(fileSystem)': (dir: string, options?: object) => tf.loadLayersModel(fileSystem(dir, options)),
};

const corpus = fileURLToPath(new URL('../../test/hostile/cases/', import.meta.url));
const base: unknown = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../test/hostile/base-model.json', import.meta.url)), 'utf8'),
);
/** A case's expected.json, as test/hostile/make_corpus.ts writes it. */
interface Expected {
  problem: string;
  why: string;
  options: object;
}
const readExpected = (name: string) =>
  JSON.parse(readFileSync(join(corpus, name, 'expected.json'), 'utf8')) as Expected;
const cases = readdirSync(corpus).sort();

/** The base model's 30 weights, exactly as long as the manifest says. */
const validWeights = Buffer.from(new Float32Array(Array.from({ length: 30 }, (_, i) => (i % 7) / 10 - 0.3)).buffer);

/** A copy of `name` at <tmp>/model, with canaries beside it that would load if followed. */
function stage(name: string): { root: string; model: string } {
  const root = mkdtempSync(join(tmpdir(), 'tfjs-skip-hostile-'));
  const model = join(root, 'model');
  cpSync(join(corpus, name), model, { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(root, 'canary.bin'), validWeights);
  writeFileSync(join(root, 'canary.json'), JSON.stringify(base));
  return { root, model };
}

/** Records every path the fs module is asked to open, stat or resolve. */
function watchFs(): { paths: string[] } {
  const seen = { paths: [] as string[] };
  const record = (target: object, method: string) => {
    const original = (target as Record<string, (...args: unknown[]) => unknown>)[method];
    vi.spyOn(target as Record<string, (...args: unknown[]) => unknown>, method).mockImplementation(function (
      this: unknown,
      ...args: unknown[]
    ) {
      if (typeof args[0] === 'string') seen.paths.push(args[0]);
      return original.apply(this, args);
    });
  };
  for (const m of ['readFile', 'open', 'stat', 'lstat', 'realpath', 'opendir', 'readdir', 'access'])
    record(fs.promises, m);
  for (const m of ['readFileSync', 'openSync', 'createReadStream']) record(fs, m);
  return seen;
}

function prototypeSnapshot(): string {
  return Object.getOwnPropertyNames(Object.prototype)
    .map((k) => `${k}:${String(Object.getOwnPropertyDescriptor(Object.prototype, k)?.value)}`)
    .join('|');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the hostile corpus', () => {
  it('holds a case for every refusal the loader makes', () => {
    const problems = new Set(cases.map((c) => readExpected(c).problem));
    expect([...problems].sort()).toEqual(
      [
        'bad-artifacts',
        'bad-config',
        'bad-json',
        'bad-weight-spec',
        'non-finite',
        'prototype-key',
        'too-deep',
        'too-large',
        'too-many-params',
        'unknown-class',
        'unsafe-path',
        'weights-mismatch',
        'weights-size',
      ].sort(),
    );
  });

  it('the base model and its weights load: the corpus breaks one thing per case', async () => {
    const { model } = stage('weights-nan');
    writeFileSync(join(model, 'weights.bin'), validWeights);
    const loaded = await loadModelFromDir(model);
    expect(loaded.countParams()).toBe(30);
    loaded.dispose();
  });

  const runs = Object.keys(entryPoints).flatMap((entry) => cases.map((name) => [entry, name] as const));
  it.each(runs)('%s: %s is refused, reads nothing outside its folder and leaks nothing', async (entry, name) => {
    const expected = readExpected(name);
    const { model } = stage(name);
    const realModel = fs.realpathSync(model);
    const proto = prototypeSnapshot();
    const tensors = tf.memory().numTensors;
    const variables = Object.keys(tf.engine().state.registeredVariables).length;
    const seen = watchFs();

    const error = await entryPoints[entry as keyof typeof entryPoints](model, expected.options).catch(
      (e: unknown) => e,
    );

    expect(error, String(error)).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problem, (error as Error).message).toBe(expected.problem);
    expect(seen.paths.length, 'the fs spy saw the loader at work').toBeGreaterThan(0);
    const outside = seen.paths.filter((p) => {
      const full = resolve(p);
      return full !== model && full !== realModel && !full.startsWith(model + sep) && !full.startsWith(realModel + sep);
    });
    expect(outside).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(Object.keys(tf.engine().state.registeredVariables).length).toBe(variables);
    expect(prototypeSnapshot()).toBe(proto);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('NaN and Infinity load when the caller opts in', async () => {
    for (const load of Object.values(entryPoints)) {
      for (const name of ['weights-nan', 'weights-infinity']) {
        const loaded = await load(stage(name).model, { allowNonFinite: true });
        const values = loaded.getWeights().flatMap((w) => [...w.dataSync()]);
        expect(values.some((v) => !Number.isFinite(v))).toBe(true);
        loaded.dispose();
      }
    }
  });
});
