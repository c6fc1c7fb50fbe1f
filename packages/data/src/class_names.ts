/** Fashion-MNIST's ten classes, by label (zalandoresearch/fashion-mnist README). */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** CIFAR-10's ten classes, by label (its `batches.meta.txt`). */
export const CIFAR10_CLASSES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

/** Names `'0'`, `'1'`, ... for `count` classes: MNIST's digits, or any unnamed classes. */
export function numberedClasses(count: number): readonly string[] {
  return Array.from({ length: count }, (_, i) => String(i));
}
