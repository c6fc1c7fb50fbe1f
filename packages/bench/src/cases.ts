import type { ModelName } from './models.js';

/** TF.js backends the bench knows how to start. */
export type TfjsBackend = 'cpu' | 'wasm' | 'onednn' | 'tensorflow';
export type Task = 'train' | 'infer';

/** How many warm-up runs precede how many timed runs. */
export interface Repetitions {
  batch: number;
  warmup: number;
  runs: number;
}

/** One TF.js measurement, run in a child process of its own (so its peak RSS is its own). */
export interface TfjsCase extends Repetitions {
  kind: 'tfjs';
  model: ModelName;
  backend: TfjsBackend;
  /** Threads of the arithmetic: the backend's own (1 unless it runs threads). */
  threads: number;
  task: Task;
}

/** SkipConnection (the zoo's toy ResNet) against the functional API with `tf.layers.add`, same weights. */
export interface OverheadCase extends Repetitions {
  kind: 'overhead';
  backend: TfjsBackend;
}

/**
 * The frameworks tfjs-skip is measured against: PyTorch 2.13 and Keras 3 on
 * TensorFlow 2.21 from the bench's own Python environment, and Debian's
 * PyTorch (`/usr/bin/python3`) when it is installed.
 */
export const PEERS = ['pytorch', 'pytorch-debian', 'keras'] as const;
export type Peer = (typeof PEERS)[number];

/** How each peer's rows are named in the report. */
export const PEER_ENGINE: Record<Peer, string> = {
  pytorch: 'pytorch',
  'pytorch-debian': 'pytorch (Debian)',
  keras: 'keras',
};

/** One measurement of a peer (`python/torch_bench.py` or `python/keras_bench.py`), in its own process. */
export interface PeerCase extends Repetitions {
  kind: 'peer';
  peer: Peer;
  model: ModelName;
  task: Task;
  threads: number;
}

export type Case = TfjsCase | OverheadCase | PeerCase;

export interface Measurement {
  framework: 'tfjs' | 'pytorch' | 'keras';
  /** `cpu`, `wasm`, `onednn`, `tensorflow`, `pytorch`, `pytorch (Debian)`, `keras`; its rows give 1 -> N speedups. */
  engine: string;
  /**
   * The peer's framework version (`2.13.0+cpu`, `keras 3.15.1, tensorflow 2.21.0`), or what an `onednn` row ran on
   * (`oneDNN 2.6.3, avx512_core`); a peer's configuration is the note.
   */
  version?: string;
  model: ModelName;
  task: Task;
  /** Threads doing the arithmetic: 1, or the number of wasm kernel threads / oneDNN threads / torch threads. */
  threads: number;
  batch: number;
  warmup: number;
  runs: number;
  /** Median milliseconds per batch of `batch` images. */
  msPerBatch: number;
  /** Fastest run: the one least disturbed by other processes. */
  minMsPerBatch: number;
  /** Median CPU time of the process per batch, every thread (kernel pool workers, torch threads) included. */
  cpuMsPerBatch: number;
  msPerImage: number;
  imagesPerSecond: number;
  /** Peak resident set size of the measuring process (all its threads), MiB. */
  maxRssMiB: number;
  /** TF.js: peak bytes of tensors during one run (`tf.profile`), MiB; not for cpu training (too slow). */
  tfPeakMiB?: number;
  /** TF.js: bytes held by live tensors after the timed runs (`tf.memory().numBytes`), MiB. */
  tfLiveMiB?: number;
  /** TF.js: change of `tf.memory().numTensors` over the timed runs (0: nothing accumulates). */
  tensorGrowth?: number;
  /** Everything that qualifies the number (a smaller batch, an extrapolation). */
  note?: string;
}

export interface OverheadResult {
  backend: TfjsBackend;
  batch: number;
  warmup: number;
  runs: number;
  /** Largest |difference| of the two models' predictions on the same batch (same weights). */
  maxAbsDifference: number;
  infer: OverheadTimes;
  train: OverheadTimes;
}

export interface OverheadTimes {
  /** Median wall-clock ms of the SkipConnection model and of the functional one, and their ratio. */
  skipConnectionMs: number;
  functionalMs: number;
  ratio: number;
  /** The same ratio of median CPU times (less sensitive to other processes). */
  cpuRatio: number;
}

export type CaseResult =
  { kind: 'measurement'; measurement: Measurement } | { kind: 'overhead'; overhead: OverheadResult };

/** A configuration that could not run here, and why. */
export interface Skipped {
  what: string;
  reason: string;
}

/** Marks the child's result line on its stdout. */
export const RESULT_PREFIX = 'BENCH_RESULT ';
