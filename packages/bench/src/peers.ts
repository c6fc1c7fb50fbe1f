import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PEERS, type Peer } from './cases.js';
import type { Availability } from './plan.js';

const run = promisify(execFile);
const PYTHON_ENV = fileURLToPath(new URL('../../../scripts/python-env.mjs', import.meta.url));
const DEBIAN_PYTHON = '/usr/bin/python3';

/** The environment of the Keras peer's processes: TensorFlow backend, quiet, CPU only. */
export const KERAS_ENV = { KERAS_BACKEND: 'tensorflow', TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '' };

/** Which peers can run here, and the interpreter of each. */
export interface PeerSetup {
  availability: Record<Peer, Availability>;
  /** The bench's `.venv` (or `TFJS_SKIP_PYTHON`) for PyTorch 2.13 and Keras, `/usr/bin/python3` for Debian's. */
  pythons: Record<Peer, string>;
}

/** What each peer needs to import (and prints its version from). */
const PROBES: Record<Peer, string> = {
  pytorch: 'import torch; print(torch.__version__)',
  'pytorch-debian': 'import torch; print(torch.__version__)',
  keras: 'import keras, tensorflow, tfjs_skip; print(keras.__version__, tensorflow.__version__)',
};

/**
 * Brings up the bench's Python peers: `node scripts/python-env.mjs bench`
 * creates or completes `.venv` (TensorFlow 2.21, Keras 3.15, the `tfjs_skip`
 * package, PyTorch 2.13; pip with `--retries 0 --timeout 5`), then each peer
 * is probed by importing what it needs. A peer that cannot run is skipped
 * with the reason, never failed: pip without its index, Debian without
 * `python3-torch`.
 */
export async function setUpPeers(wanted: readonly Peer[], log: (line: string) => void): Promise<PeerSetup> {
  // Keras alone needs the tests' environment; PyTorch 2.13 is the bench's addition to it.
  const installFailure = wanted.includes('pytorch')
    ? await install(['bench'], log)
    : wanted.includes('keras')
      ? await install([], log)
      : undefined;
  const venv = (await run(process.execPath, [PYTHON_ENV, 'python'])).stdout.trim();
  const pythons: Record<Peer, string> = { pytorch: venv, keras: venv, 'pytorch-debian': DEBIAN_PYTHON };
  const entries = await Promise.all(
    PEERS.map(async (peer): Promise<[Peer, Availability]> => {
      if (!wanted.includes(peer)) return [peer, { available: false, reason: 'not in --engines' }];
      const python = pythons[peer];
      try {
        await run(python, ['-c', PROBES[peer]], { env: { ...process.env, ...KERAS_ENV } });
        return [peer, { available: true }];
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        const probe = PROBES[peer].split(';')[0];
        const why = `\`${python} -c '${probe}'\` failed: ${lastLines(e.stderr ?? '', 1) || e.message}`;
        return [peer, { available: false, reason: peer !== 'pytorch-debian' && installFailure ? installFailure : why }];
      }
    }),
  );
  return { availability: Object.fromEntries(entries) as Record<Peer, Availability>, pythons };
}

/** `node scripts/python-env.mjs [bench]`; what went wrong when it failed (pip without its index, no python3-venv). */
async function install(args: string[], log: (line: string) => void): Promise<string | undefined> {
  try {
    const { stdout } = await run(process.execPath, [PYTHON_ENV, ...args], { maxBuffer: 2 ** 26 });
    log(stdout.trim());
    return undefined;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    const command = ['node scripts/python-env.mjs', ...args].join(' ');
    const failure = `\`${command}\` could not install the Python peers (${lastLines(e.stderr ?? '') || e.message})`;
    log(failure);
    return failure;
  }
}

export function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
