/**
 * The model zoo: published residual architectures as `tf.Sequential`
 * models built from `SkipConnection` and the blocks of `../blocks`. Every
 * model takes `inputShape` (default `[32, 32, 3]`) and `classes` (default
 * 10) and outputs logits. Each model is one file in `models/`, whose
 * default export is its registry entry (see `zoo_model.ts`).
 *
 * @module tfjs-skip/zoo
 */
export type { ZooArgs } from './options.js';
export * from './generated/models.js';
export { CIFAR_RESNET_DEPTHS } from './cifar.js';
export { ZOO_MODELS, ZOO_MODEL_IDS, zooModel, parseZooName, zooNamePattern } from './registry.js';
export { buildZooModel, defineZooModel, isZooModel, type ZooModel, type ZooOption } from './zoo_model.js';
