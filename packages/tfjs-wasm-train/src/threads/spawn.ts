/** What the pool needs of a worker thread, in Node and in a browser alike. */
export interface PoolWorker {
  postMessage(message: unknown): void;
  /** Calls back once with the worker's first message, or with an error if it fails to start. */
  onFirstMessage(callback: (message: unknown) => void, onError: (error: Error) => void): void;
  /** Lets the process exit while the worker waits (Node); nothing in a browser. */
  unref(): void;
  terminate(): void;
}

const isNode = typeof process !== 'undefined' && process.versions?.node != null;

/** Starts a worker running `source` (a classic script): `worker_threads` in Node, a Web Worker elsewhere. */
export async function spawnWorker(source: string): Promise<PoolWorker> {
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(source, { eval: true });
    return {
      postMessage: (m) => worker.postMessage(m),
      onFirstMessage: (callback, onError) => {
        worker.once('message', callback);
        worker.once('error', onError);
      },
      unref: () => worker.unref(),
      terminate: () => void worker.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    postMessage: (m) => worker.postMessage(m),
    onFirstMessage: (callback, onError) => {
      worker.addEventListener('message', (e) => callback(e.data), { once: true });
      worker.addEventListener('error', (e) => onError(new Error(e.message)), { once: true });
    },
    unref: () => undefined,
    terminate: () => worker.terminate(),
  };
}
