import { describe, expect, it } from 'vitest';
import type { Case } from './cases.js';
import { defaultThreads, makePlan, parseArgs, parseThreads, type PlanOptions } from './plan.js';

const all = { available: true } as const;
const options = (o: Partial<PlanOptions> = {}): PlanOptions => ({
  quick: false,
  models: ['toy-resnet'],
  engines: ['wasm', 'onednn', 'pytorch', 'pytorch-debian', 'keras'],
  batch: 64,
  threads: [1, 4],
  peers: { pytorch: all, 'pytorch-debian': all, keras: all },
  onednn: all,
  ...o,
});
const label = (c: Case) =>
  c.kind === 'peer'
    ? `${c.peer} ${c.task} ${c.threads}`
    : c.kind === 'tfjs'
      ? `${c.backend} ${c.task} ${c.threads}`
      : 'overhead';

describe('makePlan', () => {
  it('runs every engine at every thread count', () => {
    const { cases, skipped } = makePlan(options());
    expect(cases.map(label)).toEqual([
      'wasm train 1',
      'wasm infer 1',
      'wasm train 4',
      'wasm infer 4',
      'onednn train 1',
      'onednn infer 1',
      'onednn train 4',
      'onednn infer 4',
      ...['pytorch', 'pytorch-debian', 'keras'].flatMap((p) =>
        [1, 4].flatMap((t) => [`${p} train ${t}`, `${p} infer ${t}`]),
      ),
      'overhead',
    ]);
    expect(skipped).toEqual([]);
  });

  it('skips an unavailable peer with its reason and runs the others', () => {
    const { cases, skipped } = makePlan(
      options({
        engines: ['pytorch', 'keras'],
        threads: [1],
        peers: {
          pytorch: { available: false, reason: 'pip could not reach its index' },
          'pytorch-debian': all,
          keras: all,
        },
      }),
    );
    expect(cases.map(label)).toEqual(['keras train 1', 'keras infer 1']);
    expect(skipped).toEqual([{ what: 'toy-resnet on pytorch', reason: 'pip could not reach its index' }]);
  });

  it('skips onednn with its one-line reason when its addon does not load, and runs the rest', () => {
    const reason = 'tfjs-skip-onednn was not built: oneDNN (libdnnl) was not found';
    const { cases, skipped } = makePlan(
      options({ models: ['toy-resnet', 'resnet-20'], threads: [1, 2], onednn: { available: false, reason } }),
    );
    expect(cases.some((c) => c.kind === 'tfjs' && c.backend === 'onednn')).toBe(false);
    expect(cases.filter((c) => c.kind === 'tfjs' && c.backend === 'wasm')).toHaveLength(8);
    expect(skipped).toEqual([
      { what: 'toy-resnet on onednn', reason },
      { what: 'resnet-20 on onednn', reason },
    ]);
  });

  it('runs onednn only when --engines names it', () => {
    const { cases, skipped } = makePlan(options({ engines: ['wasm', 'keras'], threads: [1] }));
    expect(cases.map(label)).toEqual(['wasm train 1', 'wasm infer 1', 'keras train 1', 'keras infer 1', 'overhead']);
    expect(skipped).toEqual([]);
  });

  it('runs cpu at one thread and says why not more', () => {
    const { cases, skipped } = makePlan(options({ engines: ['cpu'], threads: [1, 2, 4] }));
    expect(cases.map(label)).toEqual(['cpu train 1', 'cpu infer 1']);
    expect(skipped).toEqual([
      { what: 'toy-resnet on cpu at 2, 4 threads', reason: 'the cpu backend computes in JavaScript on one thread' },
    ]);
  });
});

describe('thread counts', () => {
  it('parses --threads, dropping repeats, and refuses what is not a count', () => {
    expect(parseThreads('1,2')).toEqual([1, 2]);
    expect(parseThreads('4, 1,4')).toEqual([4, 1]);
    for (const bad of ['', '0', '1,', 'two', '1.5']) expect(() => parseThreads(bad)).toThrow(JSON.stringify(bad));
  });

  it('defaults to 1 and every core', () => {
    expect(defaultThreads(8)).toEqual([1, 8]);
    expect(defaultThreads(1)).toEqual([1]);
    expect(parseArgs([]).threads).toEqual(defaultThreads());
  });
});
