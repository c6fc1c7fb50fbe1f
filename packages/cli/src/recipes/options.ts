import { InvalidArgumentError, Option, type Command } from 'commander';
import { fraction, nonNegativeNumber, positiveInt, positiveNumber, positiveNumberList } from '../commands/numbers.js';
import {
  DECAY_MODES,
  OPTIMIZERS,
  parseAugment,
  RECIPE_NAMES,
  type RecipeName,
  RECIPES,
  type RecipeSettings,
  SCHEDULES,
} from 'tfjs-skip-train';

/**
 * The recipe flags as commander parses them (shared by `train` and `compare`):
 * `--recipe` and one flag per setting, named as the setting, so a command's
 * options are themselves the `RecipeSettings` that `resolveRecipe` takes.
 */
export type RecipeFlags = RecipeSettings & { recipe?: RecipeName };

/**
 * Adds the recipe flags to a command: `--recipe` and every setting it
 * bundles, each of which overrides the recipe's value when given.
 * `defaults` names the command's own learning rate, batch size and schedule.
 */
export function addRecipeOptions(
  cmd: Command,
  defaults: { learningRate: number; batchSize: number; schedule?: string },
): Command {
  return cmd
    .addHelpText(
      'after',
      "\nRecipes (--recipe NAME; flags given explicitly override the recipe's values):\n" +
        RECIPE_NAMES.map((n) => `  ${n.padEnd(10)} ${RECIPES[n].summary}`).join('\n'),
    )
    .addOption(
      new Option('--recipe <name>', 'named training recipe, listed below (default adam)').choices(RECIPE_NAMES),
    )
    .addOption(
      new Option(
        '--optimizer <name>',
        'sgd (with --momentum, --nesterov), adam, or adamw (Adam with decoupled weight decay, 0.01 by default)',
      ).choices(OPTIMIZERS),
    )
    .option(
      '--learning-rate <lr>',
      `peak learning rate of the schedule (default ${defaults.learningRate}, or the recipe's)`,
      positiveNumber,
    )
    .option('--batch-size <n>', `examples per step (default ${defaults.batchSize}, or the recipe's)`, positiveInt)
    .option('--momentum <m>', 'sgd momentum (default 0.9)', fraction)
    .option('--nesterov', 'sgd: Nesterov momentum')
    .option('--no-nesterov', 'sgd: heavy-ball momentum')
    .option('--weight-decay <wd>', 'weight decay (default 0; adamw 0.01)', nonNegativeNumber)
    .addOption(
      new Option(
        '--decay-mode <mode>',
        'l2: rate*w added to the gradient (He et al., PyTorch SGD); ' +
          'decoupled: w -= lr*rate*w after the step (AdamW). Default l2, decoupled for adamw',
      ).choices(DECAY_MODES),
    )
    .option(
      '--decay-bn-bias',
      'apply weight decay to BatchNorm parameters and biases too (default, except in one-cycle)',
    )
    .option('--no-decay-bn-bias', 'apply weight decay to conv and dense kernels only')
    .addOption(
      new Option(
        '--schedule <kind>',
        `learning-rate schedule (default ${defaults.schedule ?? 'constant'}, or the recipe's); ` +
          'every kind takes --warmup-epochs',
      ).choices(SCHEDULES),
    )
    .option(
      '--milestones <epochs>',
      'step schedule: epochs at which the rate is multiplied by --gamma, e.g. 10,15 (default 50% and 75% of the run)',
      positiveNumberList,
    )
    .option('--gamma <g>', 'step schedule: factor at each milestone (default 0.1)', positiveNumber)
    .option(
      '--warmup-epochs <n>',
      'linear warm-up, in epochs (may be fractional; default 0, one-cycle 30% of the run)',
      nonNegativeNumber,
    )
    .option(
      '--augment <spec>',
      'image augmentation: none, or crop[:PAD] and/or flip, e.g. crop,flip (padding 4 for 32x32 images, 2 for 28x28)',
      checkAugment,
    )
    .option('--label-smoothing <eps>', 'label smoothing of the training targets (default 0)', fraction);
}

function checkAugment(value: string): string {
  try {
    parseAugment(value, 32);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return value;
}
