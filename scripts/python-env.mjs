#!/usr/bin/env node
// The Python environment of the Keras cross tests: `.venv/` at the repository
// root with TensorFlow (CPU), Keras 3, h5py, pytest, ONNX and ONNX Runtime (the
// ONNX export's checks: `onnx.checker` and the runtime) and the `tfjs_skip`
// package of `python/`. Creates it when missing or incomplete; a stamp file
// holding the requirement list and a hash of `python/`'s sources makes it a
// no-op when it is already done, and reinstalls the package when its sources
// changed. Prints one line. `TFJS_SKIP_PYTHON=/path/to/python` uses that
// interpreter instead (local development with an existing environment).
// `node scripts/python-env.mjs pytest` then runs the package's own tests.
// `node scripts/python-env.mjs bench` also installs what `npm run bench`
// measures beside Keras: PyTorch 2.13 (CPU), recorded in a stamp of its own so
// that the tests' environment is never reinstalled because of it.
// `node scripts/python-env.mjs python` prints the interpreter's path and installs nothing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv');
const stamp = join(venv, '.tfjs-skip-requirements');
const benchStamp = join(venv, '.tfjs-skip-bench-requirements');

/** What the cross tests need; `./python` only once the package exists. */
export function requirements() {
  const list = ['tensorflow-cpu==2.21.*', 'keras==3.15.*', 'h5py', 'pytest', 'onnx==1.23.*', 'onnxruntime==1.30.*'];
  if (existsSync(join(root, 'python', 'pyproject.toml'))) list.push('./python');
  return list;
}

/** What `npm run bench` adds to the environment: its PyTorch peer (Keras and TensorFlow are already there). */
export function benchRequirements() {
  return ['torch==2.13.*'];
}

/** The interpreter the cross tests run: `TFJS_SKIP_PYTHON`, or `.venv`'s. */
export function pythonPath() {
  return process.env.TFJS_SKIP_PYTHON || join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
}

/** A hash of the `python/` package as pip installs it (pyproject.toml and src/), so a change reinstalls it. */
function packageHash() {
  const dir = join(root, 'python');
  if (!existsSync(join(dir, 'pyproject.toml'))) return 'none';
  const files = [join(dir, 'pyproject.toml')];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (name === '__pycache__' || name.endsWith('.egg-info')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  if (existsSync(join(dir, 'src'))) walk(join(dir, 'src'));
  const hash = createHash('sha256');
  for (const f of files) hash.update(relative(dir, f)).update(readFileSync(f));
  return hash.digest('hex').slice(0, 16);
}

function stampText() {
  return [...requirements(), `python/ ${packageHash()}`].join('\n');
}

/** True when `.venv` holds every requirement (per its stamp) and a working interpreter. */
export function isReady() {
  if (process.env.TFJS_SKIP_PYTHON) return existsSync(process.env.TFJS_SKIP_PYTHON);
  return existsSync(pythonPath()) && existsSync(stamp) && readFileSync(stamp, 'utf8') === stampText();
}

/** True when `.venv` also holds the bench's requirements (per their stamp); `TFJS_SKIP_PYTHON` as `isReady`. */
export function isBenchReady() {
  if (process.env.TFJS_SKIP_PYTHON) return isReady();
  return isReady() && existsSync(benchStamp) && readFileSync(benchStamp, 'utf8') === benchRequirements().join('\n');
}

const pip = ['--retries', '0', '--timeout', '5'];

function ensure() {
  if (isReady()) {
    console.log(`python-env: ready (${pythonPath()})`);
    return;
  }
  if (!existsSync(pythonPath()))
    execFileSync('python3', ['-m', 'venv', venv], { stdio: ['ignore', 'ignore', 'inherit'] });
  const quiet = { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] };
  const thirdParty = requirements().filter((r) => r !== './python');
  execFileSync(pythonPath(), ['-m', 'pip', 'install', '--quiet', ...pip, ...thirdParty], quiet);
  if (requirements().includes('./python')) {
    execFileSync(
      pythonPath(),
      ['-m', 'pip', 'install', '--quiet', ...pip, '--force-reinstall', '--no-deps', './python'],
      quiet,
    );
  }
  writeFileSync(stamp, stampText());
  console.log(`python-env: installed ${requirements().join(' ')} into ${venv}`);
}

/** Adds the bench's requirements to `.venv` (after `ensure`). */
function ensureBench() {
  if (isBenchReady()) return;
  execFileSync(pythonPath(), ['-m', 'pip', 'install', '--quiet', ...pip, ...benchRequirements()], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  writeFileSync(benchStamp, benchRequirements().join('\n'));
  console.log(`python-env: installed ${benchRequirements().join(' ')} into ${venv} for the bench`);
}

/** Runs the `python/` package's pytest suite on the TensorFlow backend; exits with pytest's code. */
function pytest() {
  try {
    execFileSync(pythonPath(), ['-m', 'pytest', '-q', '-p', 'no:warnings', 'tests'], {
      cwd: join(root, 'python'),
      stdio: 'inherit',
      env: { ...process.env, KERAS_BACKEND: 'tensorflow', TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '' },
    });
  } catch (e) {
    process.exit(typeof e.status === 'number' ? e.status : 1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === 'python') {
  // The interpreter's path alone, installing nothing: for programs outside this file's reach (the bench).
  console.log(pythonPath());
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensure();
    if (process.argv[2] === 'bench') ensureBench();
  } catch (e) {
    console.error(`python-env: could not set up ${venv} (${e.message.split('\n')[0]}); pip's messages are above`);
    process.exit(1);
  }
  if (process.argv[2] === 'pytest') pytest();
}
