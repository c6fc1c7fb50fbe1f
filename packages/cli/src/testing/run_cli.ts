import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built command, as `npx tfjs-skip` runs it. */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
/** The committed file npm links as the `tfjs-skip` bin; it imports `BIN`. */
export const LINKED_BIN = fileURLToPath(new URL('../../bin/tfjs-skip.js', import.meta.url));
/** The repository root: where `npx tfjs-skip` is run from. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** What a finished child process printed, and how it exited. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that ended the process, if one did (a SIGKILL test's kill). */
  readonly signal?: NodeJS.Signals | null;
}

/** Starts `node dist/bin.js ...args` from the repository root, stdout and stderr piped; `env` adds variables. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  // The timeout kills a child a failing test would otherwise leave running.
  const options: SpawnOptions = {
    cwd: ROOT,
    env: { ...process.env, TFJS_SKIP_DEBUG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 115_000,
  };
  return spawn(process.execPath, [BIN, ...args], options);
}

/** Runs the command to the end. `onStdout` sees the output so far after each chunk (to send signals). */
export function runCli(
  args: readonly string[],
  onStdout?: (soFar: string, child: ChildProcess) => void,
  env: Record<string, string> = {},
): Promise<CliRun> {
  return collect(startCli(args, env), onStdout);
}

/** Limits for {@link runCliLimited}. */
export interface CliLimits {
  /** `ulimit -f`: the largest file the command may write, in KiB. */
  readonly fileSizeKiB?: number;
  /**
   * Run without the power to ignore file permissions: as user `nobody`
   * (through `setpriv`) when the tests run as root, as they are otherwise.
   */
  readonly unprivileged?: boolean;
}

/** True when the tests run as root (whom `chmod` does not stop). */
export const RUNNING_AS_ROOT = process.getuid?.() === 0;

const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

/**
 * Why `unprivileged` runs cannot be made here, or null when they can: as
 * root they need `setpriv`, and `nobody` must be able to read Node and the
 * built command (a checkout inside a private folder is out of its reach).
 */
export function unprivilegedProblem(): string | null {
  if (!RUNNING_AS_ROOT) return null;
  const probe = spawnSync(
    AS_NOBODY[0],
    [
      ...AS_NOBODY.slice(1),
      process.execPath,
      '-e',
      `try { require('node:fs').accessSync(${JSON.stringify(BIN)}) } ` +
        'catch (e) { console.error(e.message); process.exit(1) }',
    ],
    { encoding: 'utf8' },
  );
  if (probe.status === 0) return null;
  const reason = (probe.error?.message ?? probe.stderr).split('\n')[0];
  return (
    `running as root, and user nobody cannot run ${BIN} through setpriv (${reason}): ` +
    'a permission check cannot be made here'
  );
}

/** Runs the command in a bash whose limits are `limits`, as a user meets them. */
export function runCliLimited(args: readonly string[], limits: CliLimits): Promise<CliRun> {
  const asUser = limits.unprivileged && RUNNING_AS_ROOT ? AS_NOBODY : [];
  const command = [...asUser, process.execPath, BIN, ...args];
  // `"$@"` passes every argument through untouched, whatever characters it holds.
  const child = spawn(
    'bash',
    ['-c', 'ulimit -f "$1" && shift && exec "$@"', 'bash', String(limits.fileSizeKiB ?? 'unlimited'), ...command],
    {
      cwd: ROOT,
      env: { ...process.env, TFJS_SKIP_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 115_000,
    },
  );
  return collect(child);
}

function collect(child: ChildProcess, onStdout?: (soFar: string, child: ChildProcess) => void): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, child);
  });
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, stdout, stderr, signal }));
  });
}

/** Runs an ES module snippet in a new Node process from the repository root; returns its stdout. */
export function runScript(source: string): Promise<CliRun> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 115_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tfjs-skip-cli-'));
}
