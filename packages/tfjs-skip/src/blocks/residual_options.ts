import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { Shape } from '../shapes.js';
import { positiveInteger, unitRate } from './checks.js';
import { DropPath } from './drop_path.js';
import { LayerScale } from './layer_scale.js';
import type { ShortcutKind } from './shortcut.js';

/** What the basic and bottleneck residual blocks share. */
export interface ResidualBlockArgs {
  /** Channels of the block's 3x3 convolutions (the output for a basic block). */
  filters: number;
  /** Stride of the block (on its first 3x3 convolution); 2 halves the resolution. */
  strides?: number;
  /**
   * Pre-activation order BN → ReLU → conv (He et al. 2016, "Identity
   * Mappings in Deep Residual Networks"), with no ReLU after the addition;
   * default false: the original conv → BN → ReLU with a ReLU after it.
   */
  preActivation?: boolean;
  /**
   * How the shortcut matches the branch when channels or stride change:
   * `'projection'` (default, option B) or `'zeroPad'` (option A). Identical
   * shapes always use the identity.
   */
  shortcut?: ShortcutKind;
  /** Start the branch's last BatchNorm gamma at 0, so the block starts as its shortcut (post-activation only). */
  zeroInitLastGamma?: boolean;
  /** Drop-path rate of the branch (default 0: none). */
  dropPathRate?: number;
  /** Initial value of a per-channel LayerScale on the branch (default: none). */
  layerScale?: number;
  /** A ReZero scalar on the branch, starting at 0 (default false). */
  reZero?: boolean;
  /** Name of the SkipConnection (default: generated). */
  name?: string;
  /** Input shape without the batch axis, when the block is a model's first layer. */
  inputShape?: Shape;
}

/** The options, checked, with defaults applied. */
export function residualOptions(args: ResidualBlockArgs, block: string) {
  if (args == null || typeof args !== 'object')
    throw new ConfigError(`${block} takes an object {filters, strides?, ...}, but received ${String(args)}`);
  const preActivation = args.preActivation ?? false;
  if (preActivation && args.zeroInitLastGamma) {
    throw new ConfigError(
      `${block} received zeroInitLastGamma with preActivation: a pre-activation branch ends in a convolution, not a ` +
        `BatchNorm; use reZero or layerScale instead`,
    );
  }
  if (args.layerScale != null && args.reZero) {
    throw new ConfigError(`${block} received both layerScale (${args.layerScale}) and reZero; choose one`);
  }
  return {
    filters: positiveInteger(args.filters, `${block} filters`),
    strides: positiveInteger(args.strides ?? 1, `${block} strides`),
    preActivation,
    shortcut: args.shortcut ?? 'projection',
    zeroInitLastGamma: args.zeroInitLastGamma ?? false,
    dropPathRate: unitRate(args.dropPathRate ?? 0, `${block} dropPathRate`),
  };
}

/** The regularisers that end a residual branch: a learned scale, then drop-path. */
export function branchEnd(args: ResidualBlockArgs): tf.layers.Layer[] {
  const end: tf.layers.Layer[] = [];
  if (args.layerScale != null) end.push(new LayerScale({ initValue: args.layerScale }));
  if (args.reZero) end.push(new LayerScale({ initValue: 0, perChannel: false }));
  if ((args.dropPathRate ?? 0) > 0) end.push(new DropPath({ rate: args.dropPathRate as number }));
  return end;
}

/** `{name, inputShape}` for the block's SkipConnection, when given. */
export function layerIdentity(args: ResidualBlockArgs): { name?: string; inputShape?: Shape } {
  return {
    ...(args.name != null && { name: args.name }),
    ...(args.inputShape != null && { inputShape: args.inputShape }),
  };
}
