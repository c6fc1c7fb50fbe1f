import * as tf from '@tensorflow/tfjs';
import { describe } from 'vitest';
import { browserSuite } from './suite.js';

// Headless Chromium renders WebGL with SwiftShader (software): slow, but the
// real webgl backend with its shaders. Where no WebGL context can be created
// at all, the suite is skipped, saying why.
const ready = await tf.setBackend('webgl').catch(() => false);
const reason = ready ? null : 'no WebGL context in this browser (SwiftShader disabled?): the webgl suite is skipped';
if (reason) console.warn(reason);

describe.skipIf(!ready)('tfjs-skip in Chromium on webgl', () => {
  browserSuite('webgl');
});
