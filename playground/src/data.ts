import * as tf from '@tensorflow/tfjs';
import { parseIdxImages, parseIdxLabels } from 'tfjs-skip-data';
export { permutation } from 'tfjs-skip-data';
import trainImagesUrl from 'tfjs-skip-data/sample/train-images-idx3-ubyte.gz?url';
import trainLabelsUrl from 'tfjs-skip-data/sample/train-labels-idx1-ubyte.gz?url';
import testImagesUrl from 'tfjs-skip-data/sample/t10k-images-idx3-ubyte.gz?url';
import testLabelsUrl from 'tfjs-skip-data/sample/t10k-labels-idx1-ubyte.gz?url';

/** One split of the sample: pixels as `[count, 28, 28, 1]` in [0, 1], labels as integers. */
export interface Split {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

export interface Sample {
  train: Split;
  test: Split;
}

/** Fetches a gzipped file and inflates it with the browser's own `DecompressionStream`. */
async function fetchGunzipped(url: string, name: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${name}: the server answered ${response.status} ${response.statusText}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // A server that sent the file with `Content-Encoding: gzip` has inflated it already.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function loadSplit(imagesUrl: string, labelsUrl: string, imagesName: string, labelsName: string): Promise<Split> {
  const [imageBytes, labelBytes] = await Promise.all([
    fetchGunzipped(imagesUrl, imagesName),
    fetchGunzipped(labelsUrl, labelsName),
  ]);
  const images = parseIdxImages(imageBytes, imagesName);
  const labels = parseIdxLabels(labelBytes, labelsName);
  if (labels.length !== images.count)
    throw new Error(`${labelsName}: ${labels.length} labels for ${images.count} images in ${imagesName}`);
  return { images: images.pixels, labels, count: images.count, height: images.height, width: images.width };
}

/** The embedded Fashion-MNIST sample: 6,000 training and 1,000 test images. */
export async function loadSample(): Promise<Sample> {
  const [train, test] = await Promise.all([
    loadSplit(trainImagesUrl, trainLabelsUrl, 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'),
    loadSplit(testImagesUrl, testLabelsUrl, 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'),
  ]);
  return { train, test };
}

/** Images `indices` of `split` as a `[n, h, w, 1]` float tensor in [0, 1]. */
export function imagesTensor(split: Split, indices: ArrayLike<number>): tf.Tensor4D {
  const size = split.height * split.width;
  const values = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i] * size;
    for (let p = 0; p < size; p++) values[i * size + p] = split.images[start + p] / 255;
  }
  return tf.tensor4d(values, [indices.length, split.height, split.width, 1]);
}

/** Labels `indices` of `split` as an int32 tensor. */
export function labelsTensor(split: Split, indices: ArrayLike<number>): tf.Tensor1D {
  return tf.tensor1d(
    Array.from(indices, (i) => split.labels[i]),
    'int32',
  );
}
