import { FASHION_MNIST_CLASSES, idxDataset, parseIdxImages, parseIdxLabels, type DataSplits } from 'tfjs-skip-data';
import trainImagesUrl from 'tfjs-skip-data/sample/train-images-idx3-ubyte.gz?url';
import trainLabelsUrl from 'tfjs-skip-data/sample/train-labels-idx1-ubyte.gz?url';
import testImagesUrl from 'tfjs-skip-data/sample/t10k-images-idx3-ubyte.gz?url';
import testLabelsUrl from 'tfjs-skip-data/sample/t10k-labels-idx1-ubyte.gz?url';

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

/**
 * The embedded Fashion-MNIST sample (6,000 training and 1,000 test images),
 * fetched and parsed by `tfjs-skip-data`'s own IDX readers into its `Dataset`s,
 * as `loadSample` from `tfjs-skip-data/node` reads it from disk.
 */
export async function loadSample(): Promise<DataSplits> {
  const fetchSplit = async (images: [string, string], labels: [string, string]) => {
    const [imageBytes, labelBytes] = await Promise.all([fetchGunzipped(...images), fetchGunzipped(...labels)]);
    const [imagesName, labelsName] = [images[1], labels[1]];
    const parsed = parseIdxImages(imageBytes, imagesName);
    return idxDataset(parsed, imagesName, parseIdxLabels(labelBytes, labelsName), labelsName, FASHION_MNIST_CLASSES);
  };
  const [train, test] = await Promise.all([
    fetchSplit([trainImagesUrl, 'train-images-idx3-ubyte.gz'], [trainLabelsUrl, 'train-labels-idx1-ubyte.gz']),
    fetchSplit([testImagesUrl, 't10k-images-idx3-ubyte.gz'], [testLabelsUrl, 't10k-labels-idx1-ubyte.gz']),
  ]);
  return {
    name: 'fashion-mnist-sample',
    location: new URL('.', new URL(trainImagesUrl, document.baseURI)).href,
    train,
    test,
  };
}
