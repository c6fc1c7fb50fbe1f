import { mkdirSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../errors.js';

/**
 * Checks an `--out` folder before any training starts, so a run never ends
 * with nowhere to write: refuses names with a `..` segment, a path that is a
 * file, and folders (or their nearest existing parent) that are not
 * writable. Returns the absolute path; creates nothing.
 */
export function checkOutDir(dir: string): string {
  if (dir.trim() === '') throw new CliError('--out is empty', 'pass a folder name, e.g. --out runs/first');
  if (dir.split(/[\\/]/).includes('..')) {
    throw new CliError(
      `--out ${JSON.stringify(dir)} contains a ".." segment`,
      'name a folder below the current one or an absolute path, without ".."',
    );
  }
  const full = resolve(dir);
  let existing = full;
  while (!exists(existing)) existing = dirname(existing);
  if (existing === full && !statSync(full).isDirectory()) {
    throw new CliError(`--out ${JSON.stringify(dir)} is a file, not a folder`, 'pass a folder name');
  }
  if (!statSync(existing).isDirectory()) {
    throw new CliError(`--out ${JSON.stringify(dir)} lies below ${existing}, which is a file`, 'pass a folder name');
  }
  try {
    // Probe by creating (and removing) a folder: permission bits alone do not
    // tell, for root or on read-only and virtual file systems.
    rmdirSync(mkdtempSync(join(existing, '.tfjs-skip-probe-')));
  } catch {
    throw new CliError(
      `--out ${JSON.stringify(dir)} is not writable (${existing} refuses writes)`,
      'choose a folder you can write to, e.g. --out ./runs/mine',
    );
  }
  return full;
}

/** Creates the folder checked by `checkOutDir`. */
export function makeOutDir(full: string): void {
  mkdirSync(full, { recursive: true });
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
