/**
 * The model zoo: published residual architectures as `tf.Sequential`
 * models built from `SkipConnection` and the blocks of `../blocks`. Every
 * model takes `inputShape` (default `[32, 32, 3]`) and `classes` (default
 * 10) and outputs logits.
 */
export type { ZooArgs } from './options.js';
export { toyResNet } from './toy_resnet.js';
export { resnet, CIFAR_RESNET_DEPTHS, type ResNetArgs } from './resnet.js';
export { plainNet, type PlainNetArgs } from './plain_net.js';
export { denseNet, type DenseNetArgs } from './dense_net.js';
export { highwayNet, type HighwayNetArgs } from './highway_net.js';
export { unet, type UNetArgs } from './unet.js';
