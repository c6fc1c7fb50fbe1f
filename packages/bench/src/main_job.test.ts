import { describe, expect, it } from 'vitest';
import { parseMainJobArgs } from './main_job.js';
import { defaultThreads } from './plan.js';

describe('npm run bench:main-job arguments', () => {
  it("defaults to 1 and N threads and the run's own epochs", () => {
    expect(parseMainJobArgs([])).toEqual({ threads: defaultThreads() });
    expect(parseMainJobArgs(['--threads', '1,2', '--epochs', '2', '--out', 'o'])).toEqual({
      threads: [1, 2],
      epochs: 2,
      out: 'o',
    });
  });

  it('refuses what it cannot use, quoting it', () => {
    expect(() => parseMainJobArgs(['--epochs', '0'])).toThrow('received 0');
    expect(() => parseMainJobArgs(['--models', 'x'])).toThrow('Unknown argument --models');
    expect(() => parseMainJobArgs(['--threads'])).toThrow('--threads needs a value');
    expect(() => parseMainJobArgs(['--threads', '1,a'])).toThrow('"1,a"');
  });
});
