import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserCommand } from 'vitest/node';
import { runPythonAsync } from '../packages/tfjs-skip/test/keras/python.js';

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
  const [made] = (await runPythonAsync('make_apps.py', ['make', dir, spec])) as (Omit<
    KerasApplication,
    'keras' | 'h5'
  > & { files: [string, string] })[];
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
