/**
 * Training for tfjs-skip, one convention everywhere: models output logits
 * and train on softmax cross-entropy against integer labels. The training
 * loop (`fit`), the step, the loss, accuracy, evaluation, precise BatchNorm,
 * gradient norms, the saved model's probabilities head, and the recipes
 * (`tfjs-skip-train/recipes`). Backend-agnostic: it never imports a
 * backend.
 *
 * @module tfjs-skip-train
 */
export { evaluate, evaluateAsync, type Evaluation } from './evaluate.js';
export {
  fit,
  type EpochEnd,
  type EpochRecord,
  type EpochStart,
  type FitHooks,
  type FitOptions,
  type FitResult,
  type FitState,
  type PartialEpoch,
  type StepProgress,
} from './fit.js';
export { kernelGradNorms, type LayerGradNorm } from './grad_norms.js';
export { overrideGradient, type FastGradient, type InputGradients } from './override_gradient.js';
export { preciseBatchNorm } from './precise_bn.js';
export { addProbabilities, logitsOf, PROBABILITIES, requireLogits } from './head.js';
export { variableGradsFreeing } from './grads.js';
export { softmaxCrossEntropy } from './loss.js';
export { countCorrect } from './metrics.js';
export { trainableVariables, trainStep, trainStepAsync, type StepRecipe, type StepResult } from './step.js';
export * from './recipes/index.js';
