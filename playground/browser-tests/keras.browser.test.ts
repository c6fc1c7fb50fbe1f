import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kerasBytes, kerasSaver, loadModel, ModelFileError, skipConnection } from 'tfjs-skip';

// Keras files in the browser: fflate and h5wasm (its ESM build, bundled by
// Vite) read and write .keras and .h5 bytes in memory.
beforeAll(async () => {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
});

describe('Keras files in Chromium', () => {
  for (const format of ['keras', 'h5'] as const) {
    it(`${format}: kerasSaver writes bytes that kerasBytes loads with the same predictions`, async () => {
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [6, 6, 2], activation: 'relu' }),
          tf.layers.batchNormalization(),
          tf.layers.flatten(),
          skipConnection({ mainPath: [tf.layers.dense({ units: 48 })] }),
          tf.layers.dense({ units: 2 }),
        ],
      });
      let bytes!: Uint8Array;
      await model.save(kerasSaver(format, (b) => void (bytes = b)));
      expect([...bytes.subarray(0, 4)]).toEqual(
        format === 'keras' ? [0x50, 0x4b, 0x03, 0x04] : [0x89, 0x48, 0x44, 0x46],
      );
      const loaded = await loadModel(kerasBytes(bytes));
      const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 1);
      const diff = tf.tidy(
        () => tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor))).dataSync()[0],
      );
      expect(diff).toBe(0);
      [model, loaded].forEach((m) => m.dispose());
      x.dispose();
    });
  }

  it('refuses bytes that are neither format', async () => {
    const error = await tf.loadLayersModel(kerasBytes(new Uint8Array([1, 2, 3, 4]))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problem).toBe('bad-archive');
  });
});

declare module 'vitest/browser' {
  interface BrowserCommands {
    kerasApplication: (spec: string) => Promise<import('../keras_application_command.js').KerasApplication>;
  }
}

/**
 * keras.applications models Keras builds for the browser: the families bringing the layers only Keras 3 has.
 * MobileNetV3Small: Rescaling, hard_silu, GlobalAveragePooling2D(keepdims), Keras op nodes (x + 3, x * 1/6);
 * EfficientNetB0: Normalization with adapted statistics, swish, squeeze-excite. The whole list runs in Node
 * (`npm run test:keras-apps`).
 */
const BROWSER_APPS = ['MobileNetV3Small:top', 'EfficientNetB0:top'];

describe('keras.applications models built by Keras, in Chromium', () => {
  for (const spec of BROWSER_APPS) {
    it(`${spec} (.keras and .h5) loads with Keras parameter count and predictions`, async () => {
      const { commands } = await import('vitest/browser');
      const app = await commands.kerasApplication(spec);
      for (const bytes of [app.keras, app.h5]) {
        const model = await loadModel(kerasBytes(Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))));
        expect(model.countParams()).toBe(app.params);
        const y = tf.tidy(() => (model.predict(tf.tensor(app.x, app.xShape)) as tf.Tensor).dataSync());
        let worst = 0;
        app.y.forEach((v, i) => (worst = Math.max(worst, Math.abs(y[i] - v) / Math.max(1e-2, Math.abs(v)))));
        expect(worst).toBeLessThanOrEqual(1e-4);
        model.dispose();
      }
    }, 600_000);
  }
});
