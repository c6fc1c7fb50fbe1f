/**
 * Data that cannot be read or used. The message is one line naming the file
 * or folder at fault, the problem, and what to do about it, so a command line
 * can print it as it is, without a stack trace:
 *
 *   `data/train-images-idx3-ubyte.gz: is 1000 bytes but its header (60000x28x28) claims 47040016; the file is
 *   truncated: download it again`
 */
export class DataError extends Error {
  /** The class's name, for stack traces and logs. */
  override name = 'DataError';

  /** The file or folder at fault, as it was given. */
  readonly path: string;

  constructor(path: string, problem: string, remedy: string) {
    super(`${path}: ${problem}; ${remedy}`);
    this.path = path;
  }
}
