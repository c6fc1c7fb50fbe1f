import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TEST_TMPDIR_PREFIX } from './test_tmpdir.js';

describe("a test run's temporary files", () => {
  it('go under the directory the run made, which the run removes', () => {
    const made = mkdtempSync(join(tmpdir(), 'probe-'));
    expect(basename(dirname(made))).toMatch(new RegExp(`^${TEST_TMPDIR_PREFIX}`));
  });

  it('may be read and written by other users, as in /tmp (the CLI runs as nobody in its permission tests)', () => {
    expect(statSync(tmpdir()).mode & 0o7777).toBe(0o1777);
  });

  it("go there from the processes a test starts, too (the CLI's, Python's)", () => {
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(require("node:os").tmpdir())'], {
      encoding: 'utf8',
    });
    expect(child).toBe(tmpdir());
  });
});
