#!/usr/bin/env node
// The Python environment of the Keras cross tests: `.venv/` at the repository
// root with TensorFlow (CPU), Keras 3, h5py, pytest and the `tfjs_skip`
// package of `python/`. Creates it when missing or incomplete; a stamp file
// holding the requirement list makes it a no-op when it is already done.
// Prints one line. `TFJS_SKIP_PYTHON=/path/to/python` uses that interpreter
// instead (local development with an existing environment).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const stamp = join(venv, '.tfjs-skip-requirements');

/** What the cross tests need; `./python` only once the package exists. */
export function requirements() {
  const list = ['tensorflow-cpu==2.21.*', 'keras==3.15.*', 'h5py', 'pytest'];
  if (existsSync(join(root, 'python', 'pyproject.toml'))) list.push('./python');
  return list;
}

/** The interpreter the cross tests run: `TFJS_SKIP_PYTHON`, or `.venv`'s. */
export function pythonPath() {
  return process.env.TFJS_SKIP_PYTHON || join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
}

/** True when `.venv` holds every requirement (per its stamp) and a working interpreter. */
export function isReady() {
  if (process.env.TFJS_SKIP_PYTHON) return existsSync(process.env.TFJS_SKIP_PYTHON);
  return existsSync(pythonPath()) && existsSync(stamp) && readFileSync(stamp, 'utf8') === requirements().join('\n');
}

function ensure() {
  if (isReady()) {
    console.log(`python-env: ready (${pythonPath()})`);
    return;
  }
  const pip = ['--retries', '0', '--timeout', '5'];
  if (!existsSync(pythonPath())) execFileSync('python3', ['-m', 'venv', venv], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(pythonPath(), ['-m', 'pip', 'install', '--quiet', ...pip, ...requirements()], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(stamp, requirements().join('\n'));
  console.log(`python-env: installed ${requirements().join(' ')} into ${venv}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensure();
  } catch (e) {
    console.error(`python-env: could not set up ${venv} (${e.message.split('\n')[0]}); pip's messages are above`);
    process.exit(1);
  }
}
