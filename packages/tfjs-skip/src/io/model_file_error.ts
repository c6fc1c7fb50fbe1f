/** What was wrong with a model file, as a stable code callers can branch on. */
export type ModelFileProblem =
  | 'bad-path'
  | 'not-found'
  | 'too-large'
  | 'bad-json'
  | 'bad-manifest'
  | 'unsafe-path'
  | 'bad-weight-spec'
  | 'weights-size'
  | 'bad-artifacts';

/** A model file was refused; `problem` says why, the message says where. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
  constructor(
    readonly problem: ModelFileProblem,
    message: string,
  ) {
    super(message);
  }
}
