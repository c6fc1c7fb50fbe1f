import { describeBackend, setupBackend } from 'tfjs-skip-backends';
import { CliError } from './errors.js';

/** Backends `--backend` accepts. */
export const BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;
export type CliBackend = (typeof BACKENDS)[number];

/** The backend a command runs on, the threads its kernels use, and one line saying which and why. */
export interface ChosenBackend {
  readonly name: string;
  readonly threads: number;
  readonly note: string;
}

/**
 * Sets the TF.js backend through tfjs-skip-backends' `setupBackend`. Asked
 * for by name, it is that backend or a one-line error. By default it is
 * `wasm` with tfjs-wasm-train's kernels when they import and a probe
 * training step runs, else `cpu`. `tensorflow` needs `@tensorflow/tfjs-node`,
 * never required. `threads` (default: the machine's cores) is how many
 * threads wasm's training kernels use.
 */
export async function chooseBackend(requested?: string, threads?: number): Promise<ChosenBackend> {
  if (requested !== undefined && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new CliError(
      `unknown backend ${JSON.stringify(requested)}`,
      `pass --backend ${BACKENDS.join(', --backend ')}`,
    );
  }
  const prefer = requested === undefined ? (['wasm', 'cpu'] as const) : [requested as CliBackend];
  let choice;
  try {
    choice = await setupBackend({ prefer, ...(threads !== undefined ? { threads } : {}) });
  } catch (e) {
    const why =
      requested === 'tensorflow'
        ? 'needs @tensorflow/tfjs-node, which is not installed'
        : `cannot train here (${(e as Error).message.split(': ').at(-1)})`;
    throw new CliError(
      `--backend ${requested} ${why}`,
      requested === 'cpu' ? 'check the @tensorflow/tfjs install' : 'pass --backend cpu',
    );
  }
  const skipped = choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  const choices = [
    requested === undefined ? '--backend cpu|wasm|tensorflow' : '',
    choice.name === 'wasm' && threads === undefined ? '--threads N' : '',
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
