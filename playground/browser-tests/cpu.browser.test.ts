import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe } from 'vitest';
import { browserSuite } from './suite.js';

beforeAll(async () => {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
});

describe('tfjs-skip in Chromium on cpu', () => browserSuite('cpu'));
