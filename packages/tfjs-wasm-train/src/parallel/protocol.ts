import type { LossName } from './losses.js';

/**
 * Messages between the trainer and its replicas. Every request gets exactly
 * one reply, in order. Weights, gradients and data travel as transferred
 * Float32Array / Int32Array buffers; only the model topology is JSON.
 */
export interface InitRequest {
  type: 'init';
  /** `model.toJSON(null, false)`, stringified. */
  topology: string;
  /** Trainable then non-trainable weights, end to end. */
  weights: Float32Array;
  backend: string;
  imports: string[];
  loss: LossName;
}

export interface StepRequest {
  type: 'step';
  /** The weights to compute gradients at: trainable then non-trainable, end to end. */
  weights: Float32Array;
  x: Float32Array;
  xShape: number[];
  y: Float32Array | Int32Array;
  yShape: number[];
}

export interface SetWeightsRequest {
  type: 'setWeights';
  weights: Float32Array;
}

export interface GetWeightsRequest {
  type: 'getWeights';
}

export interface CloseRequest {
  type: 'close';
}

export type Request = InitRequest | StepRequest | SetWeightsRequest | GetWeightsRequest | CloseRequest;

export interface ReadyReply {
  type: 'ready';
  backend: string;
  trainableShapes: number[][];
  nonTrainableShapes: number[][];
}

export interface GradsReply {
  type: 'grads';
  /** Mean loss over the shard (plus any regularisation penalties). */
  loss: number;
  /** Gradient of that loss for every trainable weight, end to end. */
  grads: Float32Array;
  /** Non-trainable weights after the step (BatchNorm moving statistics), end to end. */
  state: Float32Array;
  /** Milliseconds spent in the replica, from receiving the request to replying. */
  ms: number;
  /** `tf.memory().numTensors` in the replica after the step. */
  numTensors: number;
}

export interface WeightsReply {
  type: 'weights';
  weights: Float32Array;
}

export interface OkReply {
  type: 'ok';
}

export interface ClosedReply {
  type: 'closed';
  /** Tensors left in the replica after disposing its model: 0 unless something leaked. */
  numTensors: number;
}

export interface ErrorReply {
  type: 'error';
  message: string;
  stack?: string;
}

/** The reply each request type receives (or an ErrorReply). */
export interface ReplyTo {
  init: ReadyReply;
  step: GradsReply;
  setWeights: OkReply;
  getWeights: WeightsReply;
  close: ClosedReply;
}

export type Reply = ReplyTo[keyof ReplyTo] | ErrorReply;
