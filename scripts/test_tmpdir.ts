import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The prefix of a test run's temporary directory (`$TMPDIR/tfjs-skip-test-XXXXXX`). */
export const TEST_TMPDIR_PREFIX = 'tfjs-skip-test-';

/**
 * Vitest global setup (every config of the repository names it): the run's
 * temporary files go under one directory, removed when the run ends. Test
 * files make temporary directories freely (`mkdtemp` under `os.tmpdir()`), and
 * so do the CLI, Python and Chromium they start; `TMPDIR`, set before the test
 * processes start, sends all of them here. Without it every run left its
 * files behind (a keras.applications model pair is 1.7 GB), and repeated runs
 * filled the disk.
 */
export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  const dir = mkdtempSync(join(tmpdir(), TEST_TMPDIR_PREFIX));
  // Open to every user as /tmp is (sticky, world-writable): the CLI's permission tests run it as nobody.
  chmodSync(dir, 0o1777);
  process.env['TMPDIR'] = dir;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
  };
}
