import type { LayerGradNorm, Recipe } from 'tfjs-skip-train';

/** One trained net of a comparison, as metrics.json holds it. */
export interface CompareRun {
  readonly depth: number;
  readonly kind: 'plain' | 'residual';
  readonly model: string;
  readonly params: number;
  /** Per epoch: mean training loss and accuracy. */
  readonly loss: number[];
  readonly accuracy: number[];
  /** `[step, loss]` of every training step. */
  readonly stepLoss: Array<[number, number]>;
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly seconds: number;
  /** Per-kernel gradient norms at step 0 (initialization), then every eighth of the run. */
  readonly gradNorms: Array<{ step: number; norms: LayerGradNorm[] }>;
}

/** What `tfjs-skip compare` writes to metrics.json. */
export interface CompareMetrics {
  readonly command: 'compare';
  readonly family: 'conv' | 'mlp';
  readonly data: { source: string; name: string; trainExamples: number; testExamples: number };
  readonly backend: string;
  /** Threads the backend's training kernels ran on. */
  readonly threads: number;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Every training setting both nets of each pair shared. */
  readonly recipe: Recipe;
  readonly runs: CompareRun[];
}
