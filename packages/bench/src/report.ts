import type { Measurement, OverheadResult, Skipped } from './cases.js';
import type { RatedMeasurement } from './rate.js';
import { PROJECTED_CORES } from './scaling.js';

export type { RatedMeasurement } from './rate.js';

export interface Report {
  /** ISO date and time the run started. */
  date: string;
  command: string;
  quick: boolean;
  durationSeconds: number;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    /** Each peer that ran, and its version and configuration. */
    peers: Record<string, string>;
    /** What the `onednn` rows ran on, when they ran: `oneDNN 2.6.3, avx512_core`. */
    onednn?: string;
    /** Thread counts every engine was asked to run at. */
    threads: number[];
    /** 1, 5 and 15 minute load averages at the start and the end: above the core count, other processes competed. */
    loadAverageStart: number[];
    loadAverageEnd: number[];
    /**
     * Linux schedules by autogroup (`/proc/sys/kernel/sched_autogroup_enabled`):
     * under load each session gets a share of the cores whatever its thread
     * count, so 2-thread rows cannot beat 1-thread rows on wall time then.
     */
    autogroupScheduling?: boolean;
  };
  measurements: RatedMeasurement[];
  overhead?: OverheadResult;
  skipped: Skipped[];
  failed: { what: string; error: string }[];
}

const fixed = (v: number | undefined, digits: number) => (v == null ? '—' : v.toFixed(digits));
const times = (v: number | undefined) => (v == null ? '—' : `${v.toFixed(2)}x`);

const COLUMNS = [
  'model',
  'task',
  'engine',
  'threads',
  'batch',
  'ms/batch (median)',
  'ms/batch (min)',
  'CPU ms/batch',
  'images/s',
  'vs fastest peer',
  'vs fastest peer (CPU time)',
  '1 → N speedup',
  `projection ${PROJECTED_CORES.join(' / ')} cores`,
  'peak RSS MiB',
  'RSS vs PyTorch',
  'tf peak MiB',
  'tensor growth',
  'note',
];

export function measurementTable(rows: RatedMeasurement[]): string {
  const lines = [`| ${COLUMNS.join(' | ')} |`, `|${'---|'.repeat(COLUMNS.length)}`];
  for (const m of byModelAndTask(rows)) {
    const vsPeer = m.vsFastestPeer == null ? '—' : `${times(m.vsFastestPeer)} (${m.fastestPeer})`;
    const s = m.scaling;
    const projection = s == null ? '—' : PROJECTED_CORES.map((p) => `${s.projected[p].toFixed(1)}x`).join(' / ');
    const cells = [
      m.model,
      m.task,
      m.engine,
      m.threads,
      m.batch,
      fixed(m.msPerBatch, 1),
      fixed(m.minMsPerBatch, 1),
      fixed(m.cpuMsPerBatch, 0),
      fixed(m.imagesPerSecond, 1),
      vsPeer,
      times(m.vsFastestPeerCpu),
      s == null ? '—' : `${times(s.speedup)} (1 → ${s.cores})`,
      projection,
      fixed(m.maxRssMiB, 0),
      times(m.rssVsPyTorch),
      fixed(m.tfPeakMiB, 1),
      fixed(m.tensorGrowth, 0),
      m.note ?? '',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * One line per model, task, thread count and TF.js engine: its time beside Keras's and PyTorch's (the bench's, else
 * Debian's) and the ratios, its speedup from one thread, its peak RSS and that over PyTorch's, its tensor growth.
 * The cpu backend is left to the full table where a faster TF.js engine ran (it trains on a batch of 2).
 */
export function summaryTable(rows: RatedMeasurement[]): string {
  const header = [
    'model',
    'task',
    'threads',
    'tfjs-skip engine',
    'ms/batch',
    'Keras ms/batch',
    'vs Keras',
    'PyTorch ms/batch',
    'vs PyTorch',
    '1 → N speedup',
    'peak RSS MiB',
    'RSS vs PyTorch',
    'tensor growth',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${'---|'.repeat(header.length)}`];
  const tfjs = rows.filter((r) => r.framework === 'tfjs');
  const same = (a: Measurement, b: Measurement) => a.model === b.model && a.task === b.task && a.threads === b.threads;
  const peer = (engine: string | undefined, m: Measurement) => rows.find((p) => p.engine === engine && same(p, m));
  for (const m of byModelAndTask(tfjs)) {
    if (m.engine === 'cpu' && tfjs.some((o) => o.engine !== 'cpu' && same(o, m))) continue;
    const [keras, torch] = [peer('keras', m), peer(m.pytorch, m)];
    const cells = [
      m.model,
      m.task,
      m.threads,
      m.engine,
      fixed(m.msPerBatch, 1),
      fixed(keras?.msPerBatch, 1),
      times(m.vsKeras),
      torch == null ? '—' : `${fixed(torch.msPerBatch, 1)}${torch.engine === 'pytorch' ? '' : ` (${torch.engine})`}`,
      times(m.vsPyTorch),
      m.scaling == null ? '—' : times(m.scaling.speedup),
      fixed(m.maxRssMiB, 0),
      times(m.rssVsPyTorch),
      fixed(m.tensorGrowth, 0),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Rows grouped by model (first-seen order), train before infer, fewer threads first, TF.js before the peers. */
function byModelAndTask<T extends Measurement>(rows: T[]): T[] {
  const models = [...new Set(rows.map((m) => m.model))];
  const key = (m: Measurement) => [
    models.indexOf(m.model),
    m.task === 'train' ? 0 : 1,
    m.threads,
    m.framework === 'tfjs' ? 0 : 1,
  ];
  return [...rows].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    const i = ka.findIndex((v, j) => v !== kb[j]);
    return i < 0 ? 0 : ka[i] - kb[i];
  });
}

export function overheadTable(o: OverheadResult): string {
  return [
    `| toy ResNet on ${o.backend}, batch ${o.batch} | SkipConnection (Sequential) ms | functional + tf.layers.add ms ` +
      `| ratio | CPU-time ratio |`,
    '|---|---|---|---|---|',
    `| inference | ${fixed(o.infer.skipConnectionMs, 1)} | ${fixed(o.infer.functionalMs, 1)} | ` +
      `${o.infer.ratio.toFixed(2)}x | ${o.infer.cpuRatio.toFixed(2)}x |`,
    `| train step | ${fixed(o.train.skipConnectionMs, 1)} | ${fixed(o.train.functionalMs, 1)} | ` +
      `${o.train.ratio.toFixed(2)}x | ${o.train.cpuRatio.toFixed(2)}x |`,
  ].join('\n');
}

export function markdown(r: Report): string {
  const { machine } = r;
  const sections = [
    `# tfjs-skip bench${r.quick ? ' (--quick)' : ''}`,
    [
      `- date: ${r.date}`,
      `- command: \`${r.command}\``,
      `- machine: ${machine.cpus} x ${machine.cpuModel}; Node ${machine.node}`,
      ...Object.entries(machine.peers).map(([peer, version]) => `- peer ${peer}: ${version}`),
      ...(machine.onednn != null ? [`- onednn backend: ${machine.onednn}`] : []),
      `- thread counts: ${machine.threads.join(', ')}`,
      `- load average (1/5/15 min) at start ${machine.loadAverageStart.map((l) => l.toFixed(2)).join(' / ')}, ` +
        `at end ${machine.loadAverageEnd.map((l) => l.toFixed(2)).join(' / ')}` +
        (Math.max(machine.loadAverageStart[0], machine.loadAverageEnd[0]) > machine.cpus
          ? ` — above ${machine.cpus}: other processes competed for the cores, expect noise`
          : ''),
      ...(machine.autogroupScheduling === true
        ? [
            '- the kernel schedules by autogroup: when other sessions keep the cores busy, this bench gets its share ' +
              'of the machine whatever its thread count, so compare the 2-thread rows by CPU time',
          ]
        : []),
      `- duration: ${r.durationSeconds.toFixed(0)} s`,
    ].join('\n'),
    '## tfjs-skip against Keras and PyTorch',
    summaryTable(r.measurements),
    '## Train step and inference',
    measurementTable(r.measurements),
    [
      'Random 32x32x3 images, 10 classes; train step = forward in training mode, mean softmax cross-entropy,',
      "backward, SGD with momentum 0.9 (TF.js: `optimizer.minimize` with tfjs-skip-train's `Momentum`; Keras:",
      '`train_on_batch`; PyTorch: `loss.backward(); optimizer.step()`).',
      'Each row is its own process (peak RSS covers all its threads), warm-up runs first, then the median of the',
      'timed runs. "vs fastest peer" divides ms per image by that of the fastest peer (PyTorch 2.13, Debian\'s',
      'PyTorch, Keras 3 on TensorFlow 2.21) at the same model, task and thread count (> 1: slower; the peer named);',
      '"vs fastest peer (CPU time)" divides CPU time per image instead. "1 → N speedup" divides the one-thread',
      "time of the same engine by this row's (`wasm` at N threads: its kernels split over a pool of N threads;",
      "`onednn` at N threads: oneDNN's kernels on N threads).",
      `"projection" is Amdahl's law from the serial fraction that speedup implies, s = (N/S − 1)/(N − 1), at`,
      `${PROJECTED_CORES.join(' and ')} cores: S(p) = 1/(s + (1 − s)/p). A projection, not a measurement.`,
      '"vs Keras" and "vs PyTorch" in the first table divide the ms per image of a TF.js row by that peer\'s;',
      "\"RSS vs PyTorch\" divides the peak RSS of a TF.js row by PyTorch's (the bench's, else Debian's).",
      '"CPU ms/batch" is the CPU time of the whole process (all threads): when it is far below the wall-clock',
      'time of a single-thread row, other processes were taking the cores.',
      '"tensor growth" is the change of `tf.memory().numTensors` over the timed runs.',
    ].join('\n'),
  ];
  if (r.overhead != null) {
    sections.push(
      '## SkipConnection overhead',
      overheadTable(r.overhead),
      `Same weights (predictions differ by at most ${r.overhead.maxAbsDifference.toExponential(1)}); the two models ` +
        `are timed in alternation, ${r.overhead.warmup} warm-up + ${r.overhead.runs} timed runs each, median. ` +
        `Target: 1.00x.`,
    );
  }
  if (r.skipped.length > 0) sections.push('## Not run', r.skipped.map((s) => `- ${s.what}: ${s.reason}`).join('\n'));
  if (r.failed.length > 0) sections.push('## Failed', r.failed.map((f) => `- ${f.what}: ${f.error}`).join('\n'));
  return `${sections.join('\n\n')}\n`;
}
