import { runPython } from './python.js';

/** One model `make_apps.py make` wrote, as it prints it: its files, Keras's predictions and training step. */
export interface Made {
  name: string;
  arch: string;
  top: boolean;
  /** The .keras file, and the .h5 one unless only the load is checked (`:load`). */
  files: string[];
  /** Absent with `:load`, as every field of the training step. */
  train?: string;
  trained?: string;
  params: number;
  xShape: number[];
  x: number[];
  yShape: number[];
  y: number[];
  trainXShape?: number[];
  trainX?: number[];
  target?: number[];
  loss?: number;
  learningRate?: number;
}

/** Has Keras build `specs` (`ARCH`, `ARCH:top`, `ARCH:notop:load`, ...) into DIR: `make_apps.py make`. */
export function makeApps(dir: string, specs: readonly string[]): Made[] {
  return runPython('make_apps.py', ['make', dir, ...specs]) as Made[];
}
