import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { Reply, Request } from './protocol.js';
import { Replica } from './replica.js';

/**
 * Worker entry point of a DataParallelTrainer replica: answers each request
 * in order, one at a time, and replies with an ErrorReply instead of dying.
 */
if (parentPort == null) throw new Error('tfjs-wasm-train/parallel: worker.js runs only inside a worker thread.');
const port = parentPort;
let replica: Replica | undefined;
let queue: Promise<void> = Promise.resolve();

port.on('message', (request: Request) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: Request): Promise<void> {
  const started = performance.now();
  try {
    switch (request.type) {
      case 'init': {
        const created = await Replica.create(request);
        replica = created.replica;
        return post(created.ready);
      }
      case 'step': {
        const result = ready().step(request);
        const reply = { ...result, ms: performance.now() - started, numTensors: tf.memory().numTensors };
        return post(reply, [reply.grads, reply.state]);
      }
      case 'setWeights':
        ready().setWeights(request.weights);
        return post({ type: 'ok' });
      case 'getWeights': {
        const weights = ready().getWeights();
        return post({ type: 'weights', weights }, [weights]);
      }
      case 'close':
        replica?.dispose();
        replica = undefined;
        post({ type: 'closed', numTensors: tf.memory().numTensors });
        // Nothing else keeps the thread alive: it exits with code 0.
        port.close();
        return;
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', message: e.message, ...(e.stack != null ? { stack: e.stack } : {}) });
  }
}

function ready(): Replica {
  if (replica == null) throw new Error('The replica received a request before init.');
  return replica;
}

/** Sends `reply`, moving (not copying) the buffers of `transfer`. */
function post(reply: Reply, transfer: Float32Array[] = []): void {
  port.postMessage(
    reply,
    transfer.map((a) => a.buffer as ArrayBuffer),
  );
}
