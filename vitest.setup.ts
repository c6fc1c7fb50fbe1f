import * as tf from '@tensorflow/tfjs';

// Tests pin the pure-JS `cpu` backend unless a test file chooses another:
// it is the reference every other backend is compared with.
await tf.setBackend('cpu');
