import * as tf from '@tensorflow/tfjs';
import { toBatch, type Dataset } from 'tfjs-skip-data';
import { logitsOf } from 'tfjs-skip-train';

/** Draws test image `index` of `split` into a canvas of its own size (CSS scales it). */
function imageCanvas(split: Dataset, index: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = split.width;
  canvas.height = split.height;
  const image = new ImageData(split.width, split.height);
  const size = split.width * split.height;
  for (let p = 0; p < size; p++) {
    const v = split.images[index * size + p];
    image.data.set([v, v, v, 255], 4 * p);
  }
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas;
}

/**
 * Classifies test images `indices` with `model` and shows each with its true
 * class, the predicted one and its probability. The logits are kept, at full
 * precision, in the gallery's `data-logits`, so a reloaded model can be
 * compared with the one that was saved. A model ending in the Softmax
 * `probabilities` (what `tfjs-skip train` saves) shows the logits under it.
 */
export async function renderPredictions(
  target: HTMLElement,
  model: tf.LayersModel,
  split: Dataset,
  indices: number[],
): Promise<number> {
  const logits = tf.tidy(() => {
    const { xs, ys } = toBatch(split, indices);
    ys.dispose();
    return logitsOf(model).predict(xs) as tf.Tensor2D;
  });
  const probs = tf.softmax(logits);
  const [values, probabilities] = await Promise.all([logits.array(), probs.array()]);
  tf.dispose([logits, probs]);
  let correct = 0;
  const items = indices.map((index, i) => {
    const p = probabilities[i];
    const predicted = p.indexOf(Math.max(...p));
    const truth = split.labels[index];
    if (predicted === truth) correct += 1;
    const figure = document.createElement('figure');
    figure.className = `prediction ${predicted === truth ? 'right' : 'wrong'}`;
    const caption = document.createElement('figcaption');
    const guess = document.createElement('strong');
    guess.textContent = `${split.classNames[predicted]} ${(100 * p[predicted]).toFixed(0)}%`;
    const actual = document.createElement('span');
    actual.textContent = `is ${split.classNames[truth]}`;
    caption.append(guess, actual);
    figure.append(imageCanvas(split, index), caption);
    figure.title = `test image ${index}`;
    return figure;
  });
  target.dataset.logits = JSON.stringify(values);
  target.dataset.correct = String(correct);
  target.replaceChildren(...items);
  return correct;
}
