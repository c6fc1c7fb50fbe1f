/**
 * A problem with what the user asked for. The message is one line: what is
 * wrong (quoting what was received) and what to do, so the command prints it
 * as it is, without a stack trace.
 */
export class CliError extends Error {
  override name = 'CliError';

  constructor(problem: string, remedy: string) {
    super(`${problem}; ${remedy}`);
  }
}
