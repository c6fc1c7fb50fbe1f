#!/usr/bin/env node
// Runs a command under another Node.js release line than the machine's:
// `node scripts/with-node.mjs 24 vitest run` runs the Node test suites on the
// newest Node 24. The binary comes from the npm registry, whose
// `node-<platform>-<arch>` packages carry Node's official build in
// `bin/node`, so it needs nothing but npm (no nvm, no download of its own):
// `npm pack` fetches the package once (npm's cache keeps it), its `bin/node` is
// unpacked into `node_modules/.cache/node-<line>/`, and the command runs with
// that folder first on PATH, so `node`, `npx` shims and forked workers all
// start that Node. `npm ci` empties the folder, and the next run takes the
// newest release of the line again. The installed packages are shared with the
// machine's Node: JavaScript and WebAssembly run on any release, and the only
// native addons (rolldown's and lightningcss's, under Vite) are prebuilt
// Node-API binaries, which every release loads: `npm ci` on one Node serves all.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [line, ...command] = process.argv.slice(2);
if (!line || !/^\d+$/.test(line) || command.length === 0) {
  console.error(
    'usage: node scripts/with-node.mjs MAJOR COMMAND [ARGS...], e.g. 24 vitest run; ' +
      `received ${JSON.stringify(process.argv.slice(2))}`,
  );
  process.exit(2);
}

const pkg = `node-${process.platform}-${process.arch}`;
const dir = join(root, 'node_modules', '.cache', `node-${line}`);
const bin = join(dir, 'bin');
const node = join(bin, 'node');

if (!existsSync(node)) {
  // Unpacked beside the cache folder, then renamed into place: an interrupted fetch leaves no half binary.
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  let packed;
  try {
    const out = execFileSync('npm', ['pack', `${pkg}@${line}`, '--json', '--pack-destination', partial], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    packed = /** @type {{filename: string}[]} */ (JSON.parse(out))[0];
  } catch (error) {
    console.error(
      `with-node: could not fetch ${pkg}@${line} from the npm registry ` +
        `(${/** @type {Error} */ (error).message.split('\n')[0]}). ` +
        `The registry carries Node builds as node-<platform>-<arch> packages; check the network or the platform.`,
    );
    process.exit(1);
  }
  execFileSync('tar', ['xzf', packed.filename, '--strip-components=1', 'package/bin/node'], { cwd: partial });
  rmSync(join(partial, packed.filename));
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
}

const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
if (!version.startsWith(`v${line}.`)) {
  console.error(`with-node: ${node} is ${version}, not Node ${line}; delete ${dir} to fetch it again`);
  process.exit(1);
}
console.log(`with-node: ${command.join(' ')} on Node ${version} (${pkg} from the npm registry)`);
const env = { ...process.env, PATH: [bin, join(root, 'node_modules', '.bin'), process.env.PATH].join(':') };
const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env, cwd: process.cwd() });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
