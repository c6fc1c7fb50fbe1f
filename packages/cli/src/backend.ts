import { describeBackend, setupBackend } from 'tfjs-skip-backends';
import { CliError } from './errors.js';

/** Backends `--backend` accepts. */
export const BACKENDS = ['auto', 'onednn', 'wasm', 'cpu', 'tensorflow'] as const;
export type CliBackend = (typeof BACKENDS)[number];

/** The backend a command runs on, the threads its kernels use, and one line saying which and why. */
export interface ChosenBackend {
  readonly name: string;
  readonly threads: number;
  readonly note: string;
}

/**
 * Sets the TF.js backend through tfjs-skip-backends' `setupBackend`. Asked
 * for by name, it is that backend or a one-line error. By default (`auto`)
 * it is `onednn` when tfjs-skip-onednn's addon loads (it needs the system's
 * oneDNN), else `wasm` with tfjs-wasm-train's kernels when they import and a
 * probe training step runs, else `cpu`, and the note says why each faster
 * one was skipped. `tensorflow` needs `@tensorflow/tfjs-node`, never
 * required. `threads` (default: the machine's cores) is how many threads
 * oneDNN or wasm's training kernels use.
 */
export async function chooseBackend(requested?: string, threads?: number): Promise<ChosenBackend> {
  if (requested !== undefined && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new CliError(
      `unknown backend ${JSON.stringify(requested)}`,
      `pass --backend ${BACKENDS.join(', --backend ')}`,
    );
  }
  const auto = requested === undefined || requested === 'auto';
  const prefer = auto ? (['onednn', 'wasm', 'cpu'] as const) : [requested as Exclude<CliBackend, 'auto'>];
  let choice;
  try {
    choice = await setupBackend({ prefer, ...(threads !== undefined ? { threads } : {}) });
  } catch (error) {
    const message = (error as Error).message;
    const why =
      requested === 'tensorflow'
        ? 'needs @tensorflow/tfjs-node, which is not installed'
        : requested === 'onednn'
          ? `cannot run here: ${message.replace(/^setupBackend: no usable backend among onednn: onednn: /, '')}`
          : `cannot train here (${message.split(': ').at(-1)})`;
    throw new CliError(
      `--backend ${requested} ${why}`,
      requested === 'cpu'
        ? 'check the @tensorflow/tfjs install'
        : `pass --backend ${requested === 'onednn' ? 'wasm' : 'cpu'}`,
    );
  }
  const skipped = choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  const choices = [
    auto ? '--backend onednn|wasm|cpu|tensorflow' : '',
    (choice.name === 'wasm' || choice.name === 'onednn') && threads === undefined ? '--threads N' : '',
  ].filter((c) => c !== '');
  const hint = choices.length > 0 ? ` (${choices.join(' and ')} to choose)` : '';
  return {
    name: choice.name,
    threads: choice.threads,
    note: `backend: ${describeBackend(choice.name, '', choice)}${skipped ? ` (${skipped})` : hint}`,
  };
}

/** `1 thread`, `2 threads`. */
export function threadsText(threads: number): string {
  return `${threads} thread${threads === 1 ? '' : 's'}`;
}
