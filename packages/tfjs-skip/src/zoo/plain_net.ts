import * as tf from '@tensorflow/tfjs';
import { bn, conv, relu } from '../blocks/conv_bn.js';
import { zooDefaults, type ZooArgs } from './options.js';
import { blocksPerStage, cifarHead, cifarStem } from './resnet.js';

export interface PlainNetArgs extends ZooArgs {
  /** `6n + 2` weighted layers, as for {@link resnet}. */
  depth: number;
}

/**
 * The plain counterpart of the CIFAR {@link resnet} (He et al. 2016, section
 * 4.2): the same convolutions, BatchNorms and ReLUs, without shortcuts. With
 * the ResNet's parameter-free option A shortcuts both have the same number
 * of parameters.
 */
export function plainNet(args: PlainNetArgs): tf.Sequential {
  const n = blocksPerStage(args?.depth, 'plainNet');
  const { inputShape, classes } = zooDefaults(args, 'plainNet', 3);
  const layers = [16, 32, 64].flatMap((filters, stage) =>
    Array.from({ length: n }, (_, i) => [conv(filters, 3, stage > 0 && i === 0 ? 2 : 1), bn(), relu(), conv(filters, 3), bn(), relu()]).flat(),
  );
  return tf.sequential({ name: `plain${args.depth}`, layers: [...cifarStem(inputShape), ...layers, ...cifarHead(classes)] });
}
