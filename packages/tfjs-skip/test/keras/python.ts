import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isReady, pythonPath } from '../../../../scripts/python-env.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The Python of the Keras cross tests. Throws (the tests fail, never skip)
 * when it is missing, saying how to install it.
 */
export function python(): string {
  if (!isReady())
    throw new Error('Python with Keras 3 is not installed for the cross tests: run `node scripts/python-env.mjs`');
  return pythonPath();
}

/** Runs `test/keras/<script>` with `args`; its stdout, parsed as JSON. */
export function runPython(script: string, args: string[]): unknown {
  const out = execFileSync(python(), [join(here, script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, KERAS_BACKEND: 'tensorflow', TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 2 ** 20,
  });
  const last = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last);
}

/** {@link runPython} without blocking the event loop (a Vite server answering a browser meanwhile). */
export async function runPythonAsync(script: string, args: string[]): Promise<unknown> {
  const { execFile } = await import('node:child_process');
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      python(),
      [join(here, script), ...args],
      {
        encoding: 'utf8',
        env: { ...process.env, KERAS_BACKEND: 'tensorflow', TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '' },
        maxBuffer: 256 * 2 ** 20,
      },
      (error, stdout) => (error ? reject(new Error(error.message)) : resolve(stdout)),
    ),
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '');
}
