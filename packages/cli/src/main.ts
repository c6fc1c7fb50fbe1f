import * as tf from '@tensorflow/tfjs';
import { CommanderError } from 'commander';
import { EXIT, reportFailure } from './errors.js';
import { buildProgram } from './program.js';

/**
 * Runs the command line on `argv` (as `process.argv`) and returns the exit
 * code (`EXIT`). Every failure becomes ONE line on stderr: the message of a
 * `CliError` or `DataError` (which say what to do), commander's usage
 * errors, a failed write with its file and reason, or, for anything
 * unexpected, its first line and how to see more.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const result = { code: 0 };
  // Production mode: no per-op debug checks, and no banner asking Node users to install tfjs-node.
  tf.enableProdMode();
  try {
    await buildProgram(result).parseAsync([...argv]);
    return result.code;
  } catch (error) {
    // commander printed help or its one-line error
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { line, code } = reportFailure(error);
    process.stderr.write(`tfjs-skip: ${line}\n`);
    if (process.env['TFJS_SKIP_DEBUG']) process.stderr.write(`${(error as Error).stack}\n`);
    return code;
  }
}
