import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/run_cli.js';
import { checkOutDir } from './out_dir.js';

describe('checkOutDir', () => {
  it('accepts a new folder below a writable one without creating anything', () => {
    const base = tempDir();
    const dir = join(base, 'a', 'b');
    expect(checkOutDir(dir)).toBe(resolve(dir));
    expect(existsSync(join(base, 'a'))).toBe(false);
    expect(readdirSync(base)).toEqual([]); // the write probe is removed
  });

  it('accepts an existing folder', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'x'));
    expect(checkOutDir(join(dir, 'x'))).toBe(join(dir, 'x'));
  });

  it.each([
    ['runs/../x', /contains a "\.\." segment/],
    ['..', /contains a "\.\." segment/],
    ['a\\..\\b', /contains a "\.\." segment/],
    ['  ', /--out is empty/],
    ['/proc/tfjs-skip-out', /is not writable \(\/proc refuses writes\)/],
  ])('refuses %j', (dir, message) => {
    expect(() => checkOutDir(dir)).toThrow(message);
  });

  it('refuses a file, and a path below a file', () => {
    const file = join(tempDir(), 'f');
    writeFileSync(file, '');
    expect(() => checkOutDir(file)).toThrow(/is a file, not a folder/);
    expect(() => checkOutDir(join(file, 'sub'))).toThrow(/lies below .*f, which is a file/);
  });
});
