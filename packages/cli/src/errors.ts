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

/** The exit codes of `tfjs-skip` (the table in README.md). */
export const EXIT = {
  ok: 0,
  /**
   * The command refused what it was given: model, data, --out, --resume
   * (a `CliError`, `DataError`, `ModelFileError` or `OnnxExportError`).
   */
  refused: 1,
  /** Usage: an unknown option or subcommand, or an option value that does not parse (commander). */
  usage: 2,
  /** Writing output failed part-way: disk full, file-size limit, read-only or vanished folder. */
  writeFailed: 3,
  /** Anything else: a bug; `TFJS_SKIP_DEBUG=1` prints the stack. */
  unexpected: 4,
  /** Ctrl-C: stopped after writing a checkpoint (train), or without writing anything (compare). */
  interrupted: 130,
} as const;

/** The errors whose message is already one line that says what to do. */
const ONE_LINE_ERRORS = ['CliError', 'DataError', 'ModelFileError', 'OnnxExportError'];

const FREE_SPACE = 'free some space or choose another --out';
const WRITABLE = 'choose a folder you can write to as --out';
const KEEP_FOLDER = 'leave the --out folder in place while the command runs';

/** The write failures `EXIT.writeFailed` covers: what the file system said, in words, and what to do. */
const WRITE_FAILURES: Record<string, readonly [reason: string, remedy: string]> = {
  ENOSPC: ['no space left on the device', FREE_SPACE],
  EDQUOT: ['the disk quota is used up', FREE_SPACE],
  EFBIG: ['the file-size limit was reached', 'raise it (ulimit -f unlimited)'],
  EROFS: ['the file system is read-only', WRITABLE],
  EACCES: ['permission denied', WRITABLE],
  EPERM: ['operation not permitted', WRITABLE],
  EIO: ['input/output error', 'check the disk or choose another --out'],
  ENOENT: ['its folder no longer exists', KEEP_FOLDER],
  ENOTDIR: ['a part of its path is now a file', KEEP_FOLDER],
  EISDIR: ['a folder has its name', KEEP_FOLDER],
};

/** A failure as the command reports it: one line for stderr, and the exit code. */
export interface FailureReport {
  readonly line: string;
  readonly code: number;
}

/**
 * Turns anything a command threw into one line and an exit code: known
 * errors as they are (1), file-system write failures with the file, the
 * reason and what to do (3), anything else as an unexpected error (4).
 */
export function reportFailure(error: unknown): FailureReport {
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (error instanceof Error && ONE_LINE_ERRORS.includes(error.name)) return { line: message, code: EXIT.refused };
  const write = writeFailure(error);
  if (write != null) return { line: write, code: EXIT.writeFailed };
  return { line: `unexpected error: ${message} (set TFJS_SKIP_DEBUG=1 for the stack trace)`, code: EXIT.unexpected };
}

/**
 * One line for a file-system error raised while writing output, or null for
 * any other error. Every output file is written to a temporary name and
 * renamed, so what was there before (the last checkpoint) is still whole.
 */
export function writeFailure(error: unknown): string | null {
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  const known = code == null || !Object.hasOwn(WRITE_FAILURES, code) ? undefined : WRITE_FAILURES[code];
  if (known == null || typeof path !== 'string') return null;
  const [reason, remedy] = known;
  return (
    `cannot write ${path}: ${reason} (${code}), nothing half-written is left; ${remedy}, ` +
    'then run the command again (train: with --resume to continue from its last checkpoint, if it wrote one)'
  );
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? '';
}
