import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Reply, ReplyTo, Request } from './protocol.js';

/**
 * The trainer's handle on one replica worker: sends a request, resolves with
 * its reply. Replies come in request order, so pending requests are a queue.
 */
export class ReplicaClient {
  private readonly worker: Worker;
  private readonly pending: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;
  private closing = false;
  /** Resolves with the thread's exit code. */
  readonly exited: Promise<number>;

  constructor(readonly index: number) {
    const entry = workerEntry();
    this.worker = new Worker(entry.url, { eval: entry.eval ?? false });
    this.worker.on('message', (reply: Reply) => this.pending.shift()?.resolve(reply));
    this.worker.on('error', (error) => this.fail(new Error(`Replica ${index} crashed: ${error.message}`)));
    this.exited = new Promise((resolve) => {
      this.worker.on('exit', (code) => {
        if (!this.closing || this.pending.length > 0)
          this.fail(new Error(`Replica ${index} exited with code ${code}.`));
        resolve(code);
      });
    });
  }

  async request<K extends Request['type']>(
    request: Extract<Request, { type: K }>,
    transfer: ArrayBuffer[] = [],
  ): Promise<ReplyTo[K]> {
    if (this.failure != null) throw this.failure;
    if (request.type === 'close') this.closing = true;
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(request, transfer);
    });
    if (reply.type === 'error') {
      const error = new Error(`Replica ${this.index}: ${reply.message}`);
      if (reply.stack != null) error.stack = `${error.message}\n--- in the worker ---\n${reply.stack}`;
      throw error;
    }
    return reply as ReplyTo[K];
  }

  /** Stops the thread at once (after a failure, or when it does not exit by itself). */
  async terminate(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.splice(0)) p.reject(error);
  }
}

/**
 * The worker's entry: `worker.js` beside the built trainer or, when the
 * trainer runs from its TypeScript source (tsx, vitest), `worker.ts` loaded
 * through tsx's `tsImport` (Node 20 does not apply `--import tsx` to workers).
 */
function workerEntry(): { url: string | URL; eval?: true } {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./worker.js', import.meta.url) };
  const tsx = tsxEsmApi();
  const worker = new URL('./worker.ts', import.meta.url).href;
  return {
    url:
      `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(worker)}, ` +
      `${JSON.stringify(worker)}));`,
    eval: true,
  };
}

/** The ESM build of tsx's API (`require.resolve` would give the CommonJS one, which cannot `tsImport` here). */
function tsxEsmApi(): string {
  const packageJson = createRequire(import.meta.url).resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(packageJson, 'utf8')) as TsxPackage).exports?.['./esm/api']?.import
    ?.default;
  if (exported == null)
    throw new Error(`Cannot find the ESM API of tsx in ${packageJson}; the worker cannot load TypeScript.`);
  return new URL(exported, pathToFileURL(packageJson)).href;
}

interface TsxPackage {
  exports?: Record<string, { import?: { default?: string } } | undefined>;
}
