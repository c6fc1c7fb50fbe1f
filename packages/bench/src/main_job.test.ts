import { describe, expect, it } from 'vitest';
import { kerasCannotRepeat, parseMainJobArgs } from './main_job.js';
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

describe('what Keras model.fit can repeat', () => {
  const plain = {
    optimizer: 'adam',
    schedule: 'constant',
    warmupEpochs: 0,
    weightDecay: 0,
    labelSmoothing: 0,
    augment: { crop: 0, flip: false },
  };

  it("repeats the default run's recipe, and names what it cannot", () => {
    expect(kerasCannotRepeat(plain)).toBeNull();
    expect(kerasCannotRepeat({ ...plain, schedule: 'cosine' })).toBeNull();
    expect(kerasCannotRepeat({ ...plain, optimizer: 'sgd', augment: { crop: 4, flip: true } })).toBe(
      'keras_fit.py trains with Adam at a constant rate or a cosine decay and nothing else; ' +
        'the run used the sgd optimizer, augmentation',
    );
    expect(kerasCannotRepeat({ ...plain, schedule: 'one-cycle', warmupEpochs: 1.5 })).toMatch(
      /the run used a one-cycle schedule, a warm-up$/,
    );
  });
});
