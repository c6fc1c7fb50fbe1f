import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { ZooArgs } from './options.js';

/** One option of a zoo model beside `inputShape` and `classes`: its meaning, default and rule. */
export interface ZooOption {
  /** What the option means, one line (the CLI's help and the zoo docs show it). */
  readonly description: string;
  /** Its value when the caller gives none. */
  readonly default: number | boolean;
  /** Why `value` breaks the option's rule, or null. The rule lives here and in no other place. */
  readonly check?: (value: number) => string | null;
}

/**
 * A zoo model's registry entry: everything the command line, the
 * playground, the bench, the docs and the tests need to know of it. Each
 * model file in `src/zoo/models/` default-exports one, made by
 * {@link defineZooModel}; the build collects them (`scripts/gen-zoo.mjs`).
 */
export interface ZooModel {
  /** The one spelling of the model: the CLI's `--model`, the playground's menu, the bench, docs and file names. */
  readonly id: string;
  /** What people call it ('ResNet', 'U-Net'). */
  readonly name: string;
  /** What the model is, in one line. */
  readonly description: string;
  /** Where it comes from: the paper or guide a reader can open. */
  readonly source: string;
  /** Its section of docs/zoo.md (Markdown under its heading, with a runnable ```ts example). */
  readonly docs: string;
  /** Its builder, as exported (`resnet`), called with the options over their defaults. */
  readonly builder: (args: never) => tf.Sequential;
  /** The options its builder takes beside `inputShape` and `classes`. */
  readonly options: Readonly<Record<string, ZooOption>>;
  /** The option an id suffix sets: `resnet-20` is `resnet` with `depth: 20`. */
  readonly sizedBy?: string;
  /** The same network with or without its skips (`resnet` and `plain`), to train beside it. */
  readonly twin?: string;
  /** Whether the network has skip connections. */
  readonly residual: boolean;
  /** Logits per image (`classes`), or per pixel (`pixels`). */
  readonly output: 'classes' | 'pixels';
  /** A small configuration that builds in milliseconds, for tests and quick demos. */
  readonly small: ZooArgs & Record<string, unknown>;
}

const BRAND = Symbol.for('tfjs-skip.zoo-model');

/** Marks `model` as a registry entry (what `scripts/gen-zoo.mjs` collects). */
export function defineZooModel(model: ZooModel): ZooModel {
  return Object.freeze(Object.assign(Object.create(null) as object, model, { [BRAND]: true }));
}

/** Whether `value` was made by {@link defineZooModel}. */
export function isZooModel(value: unknown): value is ZooModel {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Builds `model` with `args` over its options' defaults, checking each
 * numeric option against its rule first: a broken rule is a
 * `ConfigError` naming the model, the option and the value received.
 */
export function buildZooModel(model: ZooModel, args: ZooArgs & Record<string, unknown> = {}): tf.Sequential {
  const options: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(model.options)) {
    const value = args[name] ?? option.default;
    const problem = typeof value === 'number' ? (option.check?.(value) ?? null) : null;
    if (problem !== null) throw new ConfigError(`${model.id} ${problem}`);
    options[name] = value;
  }
  return (model.builder as (a: object) => tf.Sequential)({ ...args, ...options });
}
