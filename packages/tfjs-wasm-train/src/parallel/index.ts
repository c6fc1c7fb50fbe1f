/**
 * tfjs-wasm-train/parallel: data-parallel training over worker_threads, one
 * model replica per worker (Node only).
 */
export {
  DataParallelTrainer,
  evenShards,
  type DataParallelTrainerOptions,
  type StepOptions,
  type StepResult,
} from './trainer.js';
export { LOSS_NAMES, type LossName } from './losses.js';
export type { OptimizerSpec } from './optimizers.js';
