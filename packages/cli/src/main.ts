import * as tf from '@tensorflow/tfjs';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

/**
 * Runs the command line on `argv` (as `process.argv`) and returns the exit
 * code. Every failure becomes ONE line on stderr: the message of a
 * `CliError` or `DataError` (which say what to do), commander's usage
 * errors, or, for anything unexpected, its first line and how to see more.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const result = { code: 0 };
  // Production mode: no per-op debug checks, and no banner asking Node users to install tfjs-node.
  tf.enableProdMode();
  try {
    await buildProgram(result).parseAsync([...argv]);
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander printed help or its one-line error
    process.stderr.write(`tfjs-skip: ${oneLine(e)}\n`);
    if (process.env['TFJS_SKIP_DEBUG']) process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}

function oneLine(e: unknown): string {
  const known = e instanceof Error && ['CliError', 'DataError', 'ModelFileError'].includes(e.name);
  const message = (e instanceof Error ? e.message : String(e)).split('\n')[0]?.trim() ?? '';
  return known ? message : `unexpected error: ${message} (set TFJS_SKIP_DEBUG=1 for the stack trace)`;
}
