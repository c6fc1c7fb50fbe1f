import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import {
  PEERS,
  type Case,
  type OverheadCase,
  type PeerCase,
  type Peer,
  type Repetitions,
  type Skipped,
  type TfjsCase,
} from './cases.js';
import { MODEL_NAMES, type ModelName } from './models.js';

/** What `npm run bench` measures; `--quick` keeps every code path with far fewer repetitions. */
export const ENGINES = ['cpu', 'wasm', 'onednn', 'tensorflow', ...PEERS] as const;
export type Engine = (typeof ENGINES)[number];

/** Whether a peer can run here, and why not when it cannot. */
export type Availability = { available: true } | { available: false; reason: string };

export interface PlanOptions {
  quick: boolean;
  models: ModelName[];
  engines: Engine[];
  /** Batch for everything but the cpu backend (default 64; 32 with --quick). */
  batch: number;
  /** Thread counts every engine runs at (default 1 and the machine's cores). */
  threads: number[];
  /** Which peers can run here (their Python imports), and why not. */
  peers: Record<Peer, Availability>;
  /** Whether the onednn backend runs here (tfjs-skip-onednn's addon loads), and why not. */
  onednn: Availability;
}

/**
 * The `cpu` backend computes conv gradients ~80x slower than its forward
 * pass (a train step of the toy ResNet at batch 8 takes about a minute), so
 * it trains once on a small batch and its time per image is what is
 * compared; the other backends run the full batch.
 */
const CPU_TRAIN_BATCH = 2;

/**
 * Untimed runs before the timed ones, for every engine alike: the time of a
 * step once it has settled. Keras's steps settle by the second, TF.js's
 * take about a dozen: on onednn, 2 threads, the toy ResNet's steps 3-9 took
 * a median 59-67 ms and its steps 20-40 47-57 ms (three runs; at 1 thread
 * 80 → 72 ms), with no garbage collection, JIT or malloc setting that
 * changed it. `npm run bench:main-job` times whole training runs, settling
 * included.
 */
const WARMUP = 12;
const CPU_INFER_BATCH = 8;

export function makePlan(o: PlanOptions): { cases: Case[]; skipped: Skipped[] } {
  const full = (runs: number): Repetitions =>
    o.quick ? { batch: o.batch, warmup: 1, runs: 2 } : { batch: o.batch, warmup: WARMUP, runs };
  const train = full(10);
  const infer = full(15);
  const cases: Case[] = [];
  // The cpu cases run last: in measurements here, two-core runs (data-parallel ones, at
  // the time) that followed a long cpu training process got one core instead of two.
  const slow: Case[] = [];
  const skipped: Skipped[] = [];
  const wants = (e: Engine) => o.engines.includes(e);
  const tfjsNode = tfjsNodeInstalled();

  for (const model of o.models) {
    const tfjs = (backend: TfjsCase['backend'], task: TfjsCase['task'], r: Repetitions, threads = 1): TfjsCase => ({
      kind: 'tfjs',
      model,
      backend,
      threads,
      task,
      ...r,
    });
    if (wants('wasm')) {
      for (const threads of o.threads) {
        cases.push(tfjs('wasm', 'train', train, threads), tfjs('wasm', 'infer', infer, threads));
      }
    }
    if (wants('onednn')) {
      if (o.onednn.available) {
        for (const threads of o.threads) {
          cases.push(tfjs('onednn', 'train', train, threads), tfjs('onednn', 'infer', infer, threads));
        }
      } else skipped.push({ what: `${model} on onednn`, reason: o.onednn.reason });
    }
    if (wants('tensorflow')) {
      if (tfjsNode) cases.push(tfjs('tensorflow', 'train', train), tfjs('tensorflow', 'infer', infer));
      else
        skipped.push({ what: `${model} on tensorflow (tfjs-node)`, reason: '@tensorflow/tfjs-node is not installed' });
    }
    if (wants('cpu')) {
      if (o.quick)
        skipped.push({
          what: `${model} train on cpu`,
          reason: 'skipped by --quick (one cpu train step takes tens of seconds)',
        });
      // One warm-up step creates the optimizer's state, so that the timed step can show tensor growth.
      else slow.push(tfjs('cpu', 'train', { batch: CPU_TRAIN_BATCH, warmup: 1, runs: 1 }));
      slow.push(
        tfjs(
          'cpu',
          'infer',
          o.quick ? { batch: 2, warmup: 0, runs: 1 } : { batch: CPU_INFER_BATCH, warmup: 1, runs: 3 },
        ),
      );
      const more = o.threads.filter((t) => t > 1);
      if (more.length > 0)
        skipped.push({
          what: `${model} on cpu at ${more.join(', ')} threads`,
          reason: 'the cpu backend computes in JavaScript on one thread',
        });
    }
    for (const peer of PEERS.filter(wants)) {
      const availability = o.peers[peer];
      if (!availability.available) {
        skipped.push({ what: `${model} on ${peer}`, reason: availability.reason });
        continue;
      }
      for (const threads of o.threads) {
        const c = (task: PeerCase['task'], r: Repetitions): PeerCase => ({
          kind: 'peer',
          peer,
          model,
          task,
          threads,
          ...r,
        });
        cases.push(c('train', train), c('infer', infer));
      }
    }
  }
  if (o.models.includes('toy-resnet') && wants('wasm')) {
    // A ratio near 1.00 needs more runs than a speed does: the two models alternate 15 times.
    const overhead: OverheadCase = { kind: 'overhead', backend: 'wasm', ...full(15) };
    cases.push(overhead);
  }
  return { cases: [...cases, ...slow], skipped };
}

function tfjsNodeInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/** `--threads 1,4`: distinct positive integers, in the order given; the error quotes what it received. */
export function parseThreads(text: string): number[] {
  const items = text.split(',').map((t) => t.trim());
  const counts = items.map(Number);
  const bad = items.filter((_, i) => !Number.isInteger(counts[i]) || counts[i] < 1);
  if (bad.length > 0 || items.length === 0) {
    throw new Error(`--threads takes thread counts separated by commas (e.g. 1,4), received ${JSON.stringify(text)}.`);
  }
  return [...new Set(counts)];
}

/** The thread counts by default: 1 and every core of the machine. */
export function defaultThreads(cores = availableParallelism()): number[] {
  return [...new Set([1, cores])];
}

/** Parses `--quick`, `--models a,b`, `--engines a,b`, `--batch n`, `--threads 1,n`, `--out dir`. */
export function parseArgs(
  argv: string[],
): Omit<PlanOptions, 'peers' | 'onednn'> & { rounds: number; out: string | undefined } {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v == null || v.startsWith('--')) throw new Error(`${flag} needs a value.`);
    return v;
  };
  const list = <T extends string>(flag: string, allowed: readonly T[]): T[] => {
    const v = value(flag);
    if (v == null) return [...allowed];
    const items = v.split(',');
    const unknown = items.filter((i) => !allowed.includes(i as T));
    if (unknown.length > 0)
      throw new Error(`${flag}: unknown ${unknown.join(', ')}; choose from ${allowed.join(', ')}.`);
    return items as T[];
  };
  const positive = (flag: string, fallback: number): number => {
    const v = value(flag);
    const n = v == null ? fallback : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, received ${v}.`);
    return n;
  };
  const known = new Set(['--quick', '--models', '--engines', '--batch', '--threads', '--rounds', '--out']);
  const takesValue = new Set(['--models', '--engines', '--batch', '--threads', '--rounds', '--out']);
  const stray = argv.filter((a, i) => a.startsWith('--') && !known.has(a) && !takesValue.has(argv[i - 1] ?? ''));
  if (stray.length > 0) throw new Error(`Unknown option ${stray.join(' ')}; options: ${[...known].join(' ')}.`);
  // npm keeps options it does not recognise for itself and passes on only their values
  // unless they follow `--`: a bare word here means the options were lost on the way.
  const bare = argv.filter((a, i) => !a.startsWith('--') && !takesValue.has(argv[i - 1] ?? ''));
  if (bare.length > 0) {
    throw new Error(
      `Unexpected argument ${bare.join(' ')}: options start with --. Through npm, put them after --: ` +
        `npm run bench -w tfjs-skip-bench -- --quick.`,
    );
  }
  return {
    quick: argv.includes('--quick'),
    models: list('--models', MODEL_NAMES),
    engines: list('--engines', ENGINES),
    batch: positive('--batch', argv.includes('--quick') ? 32 : 64),
    threads: value('--threads') == null ? defaultThreads() : parseThreads(value('--threads')!),
    rounds: positive('--rounds', 1),
    out: value('--out'),
  };
}
