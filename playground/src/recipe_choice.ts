import { batchCount, type Dataset } from 'tfjs-skip-data';
import { RECIPE_NAMES, RECIPES, resolveRecipe, type Recipe, type RecipeName } from 'tfjs-skip-train';

/**
 * The page's own defaults, the `commandDefaults` of `resolveRecipe` (as
 * `tfjs-skip compare` has its own): Adam at 0.001, constant, batches of 64.
 * The `adam` recipe sets nothing, so it trains with exactly these.
 */
export const PAGE_DEFAULTS = { learningRate: 1e-3, batchSize: 64 } as const;

/** The two recipe settings the page has fields for: the peak learning rate and the batch size. */
export interface RecipeFields {
  readonly learningRate: number;
  readonly batchSize: number;
}

/** What one press of Train runs: the resolved recipe, over `steps` steps of `stepsPerEpoch` per epoch. */
export interface PageRun {
  readonly recipe: Recipe;
  readonly steps: number;
  readonly stepsPerEpoch: number;
  /** `steps / stepsPerEpoch`: the run's length in epochs, fractional, as the recipe measures it. */
  readonly epochs: number;
}

/** Whether `name` (a `?recipe=` value, say) is one of the recipes `tfjs-skip-train` defines. */
export function isRecipeName(name: string | null): name is RecipeName {
  return name !== null && (RECIPE_NAMES as readonly string[]).includes(name);
}

/** The learning rate and batch size recipe `name` trains with: what the page's two fields show once it is chosen. */
export function recipeFields(name: RecipeName): RecipeFields {
  const { learningRate, batchSize } = { ...PAGE_DEFAULTS, ...RECIPES[name].settings };
  return { learningRate, batchSize };
}

/**
 * Resolves recipe `name` for a run of `steps` steps on `train`, as the
 * command line does (`resolveRecipe`): the page's defaults, then the recipe,
 * then the two fields, each overriding the one before. The run's length in
 * epochs is `steps` over the batches in an epoch, so a schedule spans exactly
 * the steps asked (a step schedule drops at 50% and 75% of them, one-cycle
 * peaks at 30%).
 */
export function resolvePageRun(name: RecipeName, fields: RecipeFields, steps: number, train: Dataset): PageRun {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`steps must be a whole number >= 1, but received ${steps}`);
  }
  const stepsPerEpoch = batchCount(train, fields.batchSize);
  const epochs = steps / stepsPerEpoch;
  const recipe = resolveRecipe(name, PAGE_DEFAULTS, fields, { epochs, imageWidth: train.width });
  return { recipe, steps, stepsPerEpoch, epochs };
}
