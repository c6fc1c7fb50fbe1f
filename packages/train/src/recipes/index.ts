/**
 * Training recipes, importable on their own (`tfjs-skip-train/recipes`, also in `tfjs-skip-train`):
 * learning-rate schedules, optimizers, weight decay, augmentation, label
 * smoothing, and the named recipes (the CLI's `--recipe`).
 *
 * @module tfjs-skip-train/recipes
 */
export {
  augmentBatch,
  augmentSeeded,
  augmentText,
  batchSeed,
  defaultAugment,
  NO_AUGMENT,
  parseAugment,
  type AugmentSpec,
} from './augment.js';
export { ADAM_UPDATE, Adam } from './adam.js';
export { MOMENTUM_UPDATE, MOMENTUM_UPDATES, Momentum } from './momentum.js';
export { smoothedTargets } from './label_smoothing.js';
export {
  makeOptimizer,
  OPTIMIZERS,
  optimizerExtras,
  restoreOptimizerExtras,
  setLearningRate,
  type OptimizerKind,
  type OptimizerSpec,
} from './optimizer.js';
export {
  BASE_SETTINGS,
  RECIPE_NAMES,
  RECIPES,
  recipeText,
  resolveRecipe,
  scheduleOf,
  weightDecayOf,
  type Recipe,
  type RecipeName,
  type RecipeSettings,
} from './recipe.js';
export {
  learningRateAt,
  ONE_CYCLE_DIV,
  ONE_CYCLE_FINAL_DIV,
  SCHEDULES,
  type ScheduleKind,
  type ScheduleSpec,
} from './schedule.js';
export {
  applyDecoupledDecay,
  DECAY_MODES,
  decayedVariables,
  withL2Gradients,
  type DecayMode,
  type WeightDecaySpec,
} from './weight_decay.js';
