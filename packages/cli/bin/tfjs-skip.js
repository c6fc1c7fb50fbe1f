#!/usr/bin/env node
// The `tfjs-skip` command. The program is built to ../dist/bin.js by `tsc -b`
// (npm's `prepare` at the repository root). This file is committed so that
// npm can link the bin when it installs, before that build has run.
try {
  await import('../dist/bin.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist/bin.js')) throw e;
  process.stderr.write('tfjs-skip: the command is not built yet; run `npm run build` at the repository root\n');
  process.exitCode = 1;
}
