import { ARG_SLOTS, CELL, ERROR_BYTES, SPIN_CHECKS } from './control.js';

/**
 * The program each worker thread of the kernel pool runs, as source text: a
 * worker is made from it directly (Node's `eval: true`, a Blob URL in a
 * browser), so it needs no file of its own beside the bundle. It instantiates
 * the SIMD kernels on the shared heap, says it is ready, then waits on the
 * control block for jobs until told to stop. A kernel that throws is caught
 * and reported through the control block; the worker goes on serving.
 */
export const workerSource = `'use strict';
const C = ${JSON.stringify(CELL)};
const SLOTS = ${ARG_SLOTS};
const ERROR_BYTES = ${ERROR_BYTES};
const SPIN = ${SPIN_CHECKS};
const node = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;
const port = node ? require('node:worker_threads').parentPort : self;
const reply = (message) => port.postMessage(message);
const serve = (init) => {
  const ctrl = new Int32Array(init.control);
  const argv = new Float64Array(init.args);
  const errorText = new Uint8Array(init.error);
  let kernels;
  try {
    const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
    kernels = init.names.map((name) => instance.exports[name]);
  } catch (e) {
    reply({ failed: String((e && e.message) || e) });
    return;
  }
  reply({ ready: true });
  const base = init.index * SLOTS;
  let seen = init.generation;
  for (;;) {
    // Jobs come in bursts (a training step issues hundreds): spin a little before sleeping, as OpenMP does.
    for (let i = 0; i < SPIN && Atomics.load(ctrl, C.generation) === seen; i++);
    Atomics.wait(ctrl, C.generation, seen);
    seen = Atomics.load(ctrl, C.generation);
    if (Atomics.load(ctrl, C.stop) !== 0) return;
    if (init.index < Atomics.load(ctrl, C.active)) {
      const argc = Atomics.load(ctrl, C.argc);
      const args = [];
      for (let i = 0; i < argc; i++) args.push(argv[base + i]);
      try {
        kernels[Atomics.load(ctrl, C.kernel)](...args);
      } catch (e) {
        if (Atomics.compareExchange(ctrl, C.failed, 0, init.index + 1) === 0) {
          const bytes = new TextEncoder().encode(String((e && e.message) || e)).subarray(0, ERROR_BYTES - 1);
          errorText.fill(0);
          errorText.set(bytes);
        }
      }
    }
    Atomics.add(ctrl, C.done, 1);
    Atomics.notify(ctrl, C.done);
  }
};
if (node) port.once('message', serve);
else self.onmessage = (event) => { self.onmessage = null; serve(event.data); };
`;
