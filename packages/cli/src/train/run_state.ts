import type { EpochRecord, PartialEpoch, Recipe } from 'tfjs-skip-train';

/**
 * Everything needed to continue a run, stored in the checkpoint's
 * `model.json` (`userDefinedMetadata.tfjsSkip`) so that weights, optimizer
 * state and progress are replaced together by one atomic rename.
 */
export interface RunState {
  readonly version: 1;
  readonly model: string;
  readonly data: string;
  readonly seed: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly trainExamples: number;
  /** `[height, width, channels]` of the images the model was built for. */
  readonly inputShape: number[];
  readonly classes: number;
  readonly epochs: number;
  readonly history: EpochRecord[];
  /** `[step, loss]` of every training step so far (steps counted from 0 over the run). */
  readonly stepLoss: Array<[number, number]>;
  readonly partial?: PartialEpoch;
  /**
   * Optimizer, schedule, weight decay, augmentation and label smoothing
   * (absent in runs saved before recipes: Adam at `learningRate`).
   */
  readonly recipe?: Recipe;
  /** Optimizer state TF.js does not save (Adam's running beta powers), see `optimizerExtras`. */
  readonly optimizerExtras?: number[];
}

/** Reads a `RunState` back from checkpoint metadata, or null when it is not one. */
export function parseRunState(metadata: unknown): RunState | null {
  const state = (metadata as { tfjsSkip?: Partial<RunState> } | null)?.tfjsSkip;
  if (state == null || state.version !== 1 || !Array.isArray(state.history) || typeof state.model !== 'string')
    return null;
  return { ...(state as RunState), stepLoss: Array.isArray(state.stepLoss) ? state.stepLoss : [] };
}
