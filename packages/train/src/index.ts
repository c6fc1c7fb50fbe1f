/**
 * Training for tfjs-skip, one convention everywhere: models output logits
 * and train on softmax cross-entropy against integer labels. The step, the
 * loss, accuracy, evaluation, the saved model's probabilities head, and the
 * recipes (`tfjs-skip-train/recipes`). Backend-agnostic: it never imports a
 * backend.
 *
 * @module tfjs-skip-train
 */
export { evaluate, type Evaluation } from './evaluate.js';
export { addProbabilities, logitsOf, PROBABILITIES, requireLogits } from './head.js';
export { variableGradsFreeing } from './grads.js';
export { softmaxCrossEntropy } from './loss.js';
export { countCorrect } from './metrics.js';
export { trainableVariables, trainStep, trainStepAsync, type StepRecipe, type StepResult } from './step.js';
export * from './recipes/index.js';
