import type { AugmentSpec } from './augment.js';
import { augmentText, defaultAugment, NO_AUGMENT, parseAugment } from './augment.js';
import type { OptimizerKind } from './optimizer.js';
import type { ScheduleKind, ScheduleSpec } from './schedule.js';
import type { DecayMode, WeightDecaySpec } from './weight_decay.js';

/**
 * Every setting of how a net is trained, resolved: what a run stores in its
 * checkpoint, so `--resume` continues with exactly the same recipe.
 */
export interface Recipe {
  /** The `--recipe` the settings started from (flags may have changed some). */
  readonly name: RecipeName;
  /** The optimizer: `adam`, `adamw` or `sgd`. */
  readonly optimizer: OptimizerKind;
  /** The peak rate of the schedule. */
  readonly learningRate: number;
  /** SGD's momentum (0 for Adam and AdamW, which keep their own moments). */
  readonly momentum: number;
  /** SGD with Nesterov momentum. */
  readonly nesterov: boolean;
  /** The weight-decay rate (0: none). */
  readonly weightDecay: number;
  /** How weight decay applies: `l2` adds it to the gradients, `decoupled` shrinks the weights (AdamW). */
  readonly decayMode: DecayMode;
  /** Decay BatchNorm parameters and biases too (false: kernels only). */
  readonly decayBnBias: boolean;
  /** The learning-rate schedule over the run. */
  readonly schedule: ScheduleKind;
  /** `step` schedule: epochs (may be fractional) at which the rate is multiplied by `gamma`. */
  readonly milestones: readonly number[];
  /** `step` schedule: the factor applied to the rate at each milestone. */
  readonly gamma: number;
  /** Epochs (may be fractional) of linear warm-up from 0 to the peak rate. */
  readonly warmupEpochs: number;
  /** The random crop and flip applied to each training batch. */
  readonly augment: AugmentSpec;
  /** Label smoothing of the cross-entropy targets (0: none). */
  readonly labelSmoothing: number;
  /** Images per training step. */
  readonly batchSize: number;
}

/** Settings given by flags or a named recipe; unset ones come from elsewhere. */
export type RecipeSettings = Partial<Omit<Recipe, 'name' | 'augment' | 'milestones' | 'warmupEpochs'>> & {
  /** `--augment` text (`crop,flip`, `none`, ...), resolved for the data's image size. */
  readonly augment?: string;
  /** Absent: He et al.'s 50% and 75% of the run. */
  readonly milestones?: readonly number[];
  /** Absent: 0, or 30% of the run for `one-cycle`. */
  readonly warmupEpochs?: number;
};

/** The name of a named recipe (the CLI's `--recipe`): a key of {@link RECIPES}. */
export type RecipeName = 'adam' | 'he2016' | 'one-cycle';

/**
 * The named recipes `--recipe` takes, each with what it sets (explicit flags override any of it).
 *
 * @example
 * ```ts
 * import { RECIPES } from 'tfjs-skip-train/recipes';
 * RECIPES.he2016.settings.batchSize; // => 128
 * ```
 */
export const RECIPES: Readonly<
  Record<
    RecipeName,
    {
      /** One line saying what the recipe is and where it comes from (the CLI's `--help`). */
      readonly summary: string;
      /** What the recipe sets; the rest comes from the command's defaults and {@link BASE_SETTINGS}. */
      readonly settings: RecipeSettings;
    }
  >
> = {
  adam: {
    summary:
      "the command's defaults: Adam (train: 0.003 with a cosine decay; compare: 0.001, constant), " +
      'no weight decay, no augmentation',
    settings: {},
  },
  he2016: {
    summary:
      'He et al. 2016 (CIFAR-10, sec. 4.2): SGD 0.1, momentum 0.9, L2 weight decay 1e-4 on all weights, ' +
      'batch 128, rate x0.1 at 50% and 75% of the run, crop+flip',
    settings: {
      optimizer: 'sgd',
      learningRate: 0.1,
      momentum: 0.9,
      nesterov: false,
      weightDecay: 1e-4,
      decayMode: 'l2',
      decayBnBias: true,
      schedule: 'step',
      gamma: 0.1,
      warmupEpochs: 0,
      augment: 'crop,flip',
      labelSmoothing: 0,
      batchSize: 128,
    },
  },
  'one-cycle': {
    summary:
      'Smith and Topin 2019: SGD, Nesterov momentum 0.9, one cycle peaking at 0.2 after 30% of the run, ' +
      'L2 5e-4 on kernels only, batch 128, crop+flip, label smoothing 0.1',
    settings: {
      optimizer: 'sgd',
      learningRate: 0.2,
      momentum: 0.9,
      nesterov: true,
      weightDecay: 5e-4,
      decayMode: 'l2',
      decayBnBias: false,
      schedule: 'one-cycle',
      augment: 'crop,flip',
      labelSmoothing: 0.1,
      batchSize: 128,
    },
  },
};

/** The names of {@link RECIPES}, in the order `--help` lists them. */
export const RECIPE_NAMES = Object.keys(RECIPES) as RecipeName[];

/** What a command uses when neither a recipe nor a flag sets a value. */
export const BASE_SETTINGS: Readonly<RecipeSettings> = {
  optimizer: 'adam',
  momentum: 0.9,
  nesterov: false,
  decayBnBias: true,
  schedule: 'constant',
  gamma: 0.1,
  augment: 'none',
  labelSmoothing: 0,
};

/**
 * Resolves the recipe of a run: the command's defaults, then the named
 * recipe, then the flags given, each overriding the one before. `adamw`
 * decays `decoupled` unless told otherwise, the others `l2`. `flags` may be
 * a command's whole options: only the settings' keys are read, and unset
 * (undefined) ones are skipped.
 */
export function resolveRecipe(
  name: RecipeName,
  commandDefaults: { learningRate: number; batchSize: number; schedule?: ScheduleKind },
  flags: RecipeSettings,
  run: { epochs: number; imageWidth: number },
): Recipe {
  const s: RecipeSettings = {
    ...BASE_SETTINGS,
    ...commandDefaults,
    ...RECIPES[name].settings,
    ...withoutUndefined(flags),
  };
  const optimizer = s.optimizer as OptimizerKind;
  const schedule = s.schedule as ScheduleKind;
  const augment =
    s.augment === undefined || s.augment === 'none'
      ? NO_AUGMENT
      : s.augment === 'default'
        ? defaultAugment(run.imageWidth)
        : parseAugment(s.augment, run.imageWidth);
  return {
    name,
    optimizer,
    learningRate: s.learningRate as number,
    momentum: optimizer === 'sgd' ? (s.momentum as number) : 0,
    nesterov: optimizer === 'sgd' && s.nesterov === true,
    weightDecay: s.weightDecay ?? (optimizer === 'adamw' ? 0.01 : 0),
    decayMode: s.decayMode ?? (optimizer === 'adamw' ? 'decoupled' : 'l2'),
    decayBnBias: s.decayBnBias as boolean,
    schedule,
    milestones: schedule === 'step' ? [...(s.milestones ?? [run.epochs * 0.5, run.epochs * 0.75])] : [],
    gamma: s.gamma as number,
    warmupEpochs: s.warmupEpochs ?? (schedule === 'one-cycle' ? run.epochs * 0.3 : 0),
    augment,
    labelSmoothing: s.labelSmoothing as number,
    batchSize: s.batchSize as number,
  };
}

/** The schedule of a run of `epochs` epochs of `stepsPerEpoch` steps under `recipe`. */
export function scheduleOf(recipe: Recipe, epochs: number, stepsPerEpoch: number): ScheduleSpec {
  return {
    kind: recipe.schedule,
    baseRate: recipe.learningRate,
    totalSteps: epochs * stepsPerEpoch,
    warmupSteps: Math.round(recipe.warmupEpochs * stepsPerEpoch),
    milestones: recipe.milestones.map((m) => Math.round(m * stepsPerEpoch)),
    gamma: recipe.gamma,
  };
}

/** The weight decay of `recipe`. */
export function weightDecayOf(recipe: Recipe): WeightDecaySpec {
  return { rate: recipe.weightDecay, mode: recipe.decayMode, includeBnAndBias: recipe.decayBnBias };
}

/** One line describing a recipe, for the log and the report. */
export function recipeText(r: Recipe): string {
  const opt =
    r.optimizer === 'sgd'
      ? `SGD${r.momentum > 0 ? ` momentum ${r.momentum}${r.nesterov ? ' (Nesterov)' : ''}` : ''}`
      : r.optimizer === 'adamw'
        ? 'AdamW'
        : 'Adam';
  const milestones = r.milestones.map((m) => +m.toFixed(3)).join(', ');
  const schedule = r.schedule === 'step' ? `step x${r.gamma} at epochs ${milestones}` : r.schedule;
  const decay =
    r.weightDecay > 0 ? `, weight decay ${r.weightDecay} (${r.decayMode}${r.decayBnBias ? '' : ', kernels only'})` : '';
  const warmup = +r.warmupEpochs.toFixed(3);
  const warm = warmup > 0 ? `, warm-up ${warmup} epoch${warmup === 1 ? '' : 's'}` : '';
  const aug = r.augment.crop > 0 || r.augment.flip ? `, augment ${augmentText(r.augment)}` : '';
  const smooth = r.labelSmoothing > 0 ? `, label smoothing ${r.labelSmoothing}` : '';
  return `${r.name} recipe: ${opt}, rate ${r.learningRate} ${schedule}${warm}${decay}${aug}${smooth}`;
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
