import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserCommand } from 'vitest/node';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs the Keras cross tests' `make_apps.py` with the repository's Python (`node scripts/python-env.mjs python`
 * names it; the tests that run this command set it up first), without blocking the Vite server meanwhile; its
 * last line of output, parsed as JSON. By paths and processes: the playground imports no other package's tests.
 */
async function makeApps(args: string[]): Promise<unknown> {
  const python = execFileSync(process.execPath, [join(ROOT, 'scripts/python-env.mjs'), 'python'], {
    encoding: 'utf8',
  }).trim();
  const script = join(ROOT, 'packages/tfjs-skip/test/keras/make_apps.py');
  const env = { ...process.env, KERAS_BACKEND: 'tensorflow', TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '' };
  const out = await new Promise<string>((resolve, reject) =>
    execFile(python, [script, ...args], { encoding: 'utf8', env, maxBuffer: 256 * 2 ** 20 }, (error, stdout) =>
      error ? reject(new Error(`${python} ${script} ${args.join(' ')}: ${error.message}`)) : resolve(stdout),
    ),
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '');
}

/** What the browser gets: a keras.applications model Keras built, its files' bytes and Keras's predictions. */
export interface KerasApplication {
  name: string;
  params: number;
  keras: string; // base64
  h5: string; // base64
  xShape: number[];
  x: number[];
  y: number[];
}

/**
 * A browser command (run in Node by Vitest): Keras builds `spec` (`make_apps.py`, e.g.
 * `MobileNetV3Small:top`) and the browser receives its `.keras` and `.h5` bytes.
 */
export const kerasApplication: BrowserCommand<[spec: string]> = async (_context, spec) => {
  const dir = mkdtempSync(join(tmpdir(), 'keras-app-browser-'));
  const [made] = (await makeApps(['make', dir, spec])) as (Omit<KerasApplication, 'keras' | 'h5'> & {
    files: [string, string];
  })[];
  const base64 = (file: string) => readFileSync(file).toString('base64');
  return {
    name: made.name,
    params: made.params,
    keras: base64(made.files[0]),
    h5: base64(made.files[1]),
    xShape: made.xShape,
    x: made.x,
    y: made.y,
  } satisfies KerasApplication;
};
