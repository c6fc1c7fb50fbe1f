import { PROJECTED_CORES, scaling, type Scaling } from './scaling.js';

/**
 * The main job's targets: `tfjs-skip train`'s time per image within this factor of Keras `model.fit`'s, by backend:
 * at or past Keras on `onednn` (issue 21: native kernels on the CPU Keras uses), within 1.25x on `wasm` (its vectors
 * are 128-bit where Keras's oneDNN uses AVX-512), and on any other backend.
 */
export const MAIN_JOB_TARGETS: Readonly<Record<string, number>> = { onednn: 1.0, wasm: 1.25 };

/** The target of `backend`'s rows ({@link MAIN_JOB_TARGETS}; 1.25x for a backend it does not name). */
export function mainJobTarget(backend: string): number {
  return MAIN_JOB_TARGETS[backend] ?? 1.25;
}

/** One training run of the main job: images per second over all epochs and after the first (compile, warm-up). */
export interface TrainingRun {
  threads: number;
  epochSeconds: number[];
  examples: number;
  imagesPerSecond: number;
  /** Epochs 2 onwards; absent for a run of one epoch. */
  steadyImagesPerSecond?: number;
}

/** A run from the seconds of its epochs over `examples` images each. */
export function trainingRun(threads: number, examples: number, epochSeconds: readonly number[]): TrainingRun {
  if (epochSeconds.length === 0 || epochSeconds.some((s) => !(s > 0))) {
    throw new RangeError(`trainingRun: epoch seconds must be positive, received [${epochSeconds.join(', ')}].`);
  }
  const total = epochSeconds.reduce((a, b) => a + b, 0);
  const after = epochSeconds.slice(1).reduce((a, b) => a + b, 0);
  return {
    threads,
    epochSeconds: [...epochSeconds],
    examples,
    imagesPerSecond: (examples * epochSeconds.length) / total,
    ...(epochSeconds.length > 1 ? { steadyImagesPerSecond: (examples * (epochSeconds.length - 1)) / after } : {}),
  };
}

/**
 * tfjs-skip on one backend and Keras at one thread count; `ratio` is Keras's images per second over tfjs-skip's
 * (> 1: slower).
 */
export interface MainJobRow {
  threads: number;
  /** The TF.js backend `tfjs-skip train` ran on (`--backend`): `onednn`, `wasm`. */
  backend: string;
  tfjs?: TrainingRun;
  keras?: TrainingRun;
  ratio?: number;
  steadyRatio?: number;
  withinTarget?: boolean;
  tfjsScaling?: Scaling;
  kerasScaling?: Scaling;
}

/**
 * Pairs each backend's runs (`tfjs`, by backend, in the order the rows list them) with Keras's by thread count, with
 * the ratio to Keras and each side's 1 -> N speedup and projection: one row per thread count and backend.
 */
export function mainJobRows(
  threads: readonly number[],
  tfjs: Readonly<Record<string, TrainingRun[]>>,
  keras: TrainingRun[],
): MainJobRow[] {
  const at = (runs: TrainingRun[], t: number) => runs.find((r) => r.threads === t);
  const scale = (runs: TrainingRun[], t: number) => {
    const [one, many] = [at(runs, 1), at(runs, t)];
    // Time per image is 1 / rate, so the speedup is the ratio of the rates.
    return t > 1 && one != null && many != null
      ? scaling(1 / one.imagesPerSecond, 1 / many.imagesPerSecond, t)
      : undefined;
  };
  const pair = (t: number, backend: string, runs: TrainingRun[]): MainJobRow => {
    const [a, b] = [at(runs, t), at(keras, t)];
    const row: MainJobRow = { threads: t, backend, ...(a && { tfjs: a }), ...(b && { keras: b }) };
    if (a != null && b != null) {
      row.ratio = b.imagesPerSecond / a.imagesPerSecond;
      row.withinTarget = row.ratio <= mainJobTarget(backend);
      if (a.steadyImagesPerSecond != null && b.steadyImagesPerSecond != null)
        row.steadyRatio = b.steadyImagesPerSecond / a.steadyImagesPerSecond;
    }
    const [ts, ks] = [scale(runs, t), scale(keras, t)];
    if (ts) row.tfjsScaling = ts;
    if (ks) row.kerasScaling = ks;
    return row;
  };
  return threads.flatMap((t) => Object.entries(tfjs).map(([backend, runs]) => pair(t, backend, runs)));
}

const rate = (r?: TrainingRun, steady = false) => {
  const v = steady ? r?.steadyImagesPerSecond : r?.imagesPerSecond;
  return v == null ? '—' : v.toFixed(0);
};
const times = (v?: number) => (v == null ? '—' : `${v.toFixed(2)}x`);
const scaled = (s?: Scaling) =>
  s == null
    ? '—'
    : `${times(s.speedup)} (projection ${PROJECTED_CORES.map((p) => `${s.projected[p].toFixed(1)}x`).join(' / ')})`;

/** The main job's table (markdown). */
export function mainJobTable(rows: MainJobRow[]): string {
  const header = [
    'threads',
    'backend',
    'tfjs-skip train img/s',
    'Keras fit img/s',
    'Keras / tfjs-skip (target)',
    'after epoch 1: tfjs-skip',
    'Keras',
    'ratio',
    `tfjs-skip 1 → N (projection ${PROJECTED_CORES.join(' / ')})`,
    'Keras 1 → N',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${'---|'.repeat(header.length)}`];
  for (const r of rows) {
    const target = `≤ ${mainJobTarget(r.backend).toFixed(2)}x`;
    const verdict = r.withinTarget == null ? '' : r.withinTarget ? ` (within ${target})` : ` (outside ${target})`;
    const cells = [
      r.threads,
      r.backend,
      rate(r.tfjs),
      rate(r.keras),
      `${times(r.ratio)}${verdict}`,
      rate(r.tfjs, true),
      rate(r.keras, true),
      times(r.steadyRatio),
      scaled(r.tfjsScaling),
      scaled(r.kerasScaling),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
