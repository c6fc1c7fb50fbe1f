#!/usr/bin/env node
// Builds the addon when this machine can: oneDNN (>= 2.6, found through its
// CMake config), CMake and a C++ compiler. Never fails the install: without
// them it writes why to build/unavailable.txt, which the package reports in
// one line when the onednn backend is asked for.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const unavailable = join(root, 'build', 'unavailable.txt');
const require = createRequire(import.meta.url);

function give_up(why) {
  mkdirSync(dirname(unavailable), { recursive: true });
  writeFileSync(unavailable, `${why}\n`);
  console.log(`tfjs-skip-onednn: not built: ${why}. The onednn backend is unavailable; tfjs-skip uses wasm.`);
  process.exit(0);
}

if (process.env.TFJS_SKIP_ONEDNN === 'off') give_up('TFJS_SKIP_ONEDNN=off');
for (const [tool, args] of [
  ['cmake', ['--version']],
  [process.env.CXX ?? 'c++', ['--version']],
]) {
  if (spawnSync(tool, args, { stdio: 'ignore' }).status !== 0) give_up(`${tool} is not installed`);
}
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const args = [cmakeJs, 'compile', '--directory', root, '--log-level', 'warn'];
if (process.env.TFJS_SKIP_ONEDNN_SANITIZE === '1') args.push('--CDTFJS_ONEDNN_SANITIZE=ON');
const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
if (run.status !== 0) {
  if (/dnnl/i.test(output) && /Could not find|not found|find_package/i.test(output)) {
    give_up('oneDNN (libdnnl-dev >= 2.6) is not installed');
  }
  const last = output.trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  give_up(`the build failed: ${last}`);
}
rmSync(unavailable, { force: true });
console.log('tfjs-skip-onednn: built the oneDNN addon (build/Release/tfjs_skip_onednn.node)');
