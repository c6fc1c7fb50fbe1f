import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIFAR10_RECORD_BYTES, syntheticDataset, writeIdxFolder } from 'tfjs-skip-data/node';
import { EXIT, reportFailure, writeFailure } from './errors.js';
import { BIN, ROOT, runCli, runCliLimited, tempDir, unprivilegedProblem, type CliRun } from './testing/run_cli.js';

/**
 * A refusal: exit code 1 (or `code`), exactly one line on stderr, no stack trace,
 * nothing on stdout but the backend line.
 */
function expectOneLineError(run: CliRun, pattern: RegExp, code: number = EXIT.refused): void {
  expect(run.code).toBe(code);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tfjs-skip: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

const FAST = ['--epochs', '1', '--examples', '100', '--backend', 'cpu'];

describe('one-line errors, non-zero exit, no partial output', () => {
  it('unknown model: lists the known ones', async () => {
    const out = join(tempDir(), 'out');
    const run = await runCli(['train', '--model', 'resnet-18', ...FAST, '--out', out]);
    expectOneLineError(
      run,
      /"resnet-18": resnet depth must be 6n \+ 2 .*; pass --model with one of: densenet-bc-N .*; toy-resnet; unet-N/,
    );
    expect(existsSync(out)).toBe(false);
    expectOneLineError(
      await runCli(['summary', '--model', 'vgg']),
      /unknown model: "vgg"; pass --model with one of: densenet-bc-N/,
    );
  });

  it('missing data: names the path and what to pass', async () => {
    const out = join(tempDir(), 'out');
    const run = await runCli(['train', ...FAST, '--data', '/nonexistent/fashion', '--out', out]);
    expectOneLineError(run, /\/nonexistent\/fashion: is neither a data set name nor an existing folder; pass 'sample'/);
    expect(existsSync(out)).toBe(false);
  });

  it('unreadable data file: names the file', async () => {
    const dir = join(tempDir(), 'fashion-broken');
    await writeIdxFolder(dir, {
      train: syntheticDataset({ count: 20, height: 28, width: 28 }),
      test: syntheticDataset({ count: 10, height: 28, width: 28 }),
    });
    writeFileSync(
      join(dir, 'train-images-idx3-ubyte'),
      Buffer.from([0, 0, 8, 3, 0, 0, 0, 20, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]),
    );
    const out = join(tempDir(), 'out');
    const run = await runCli(['train', ...FAST, '--data', dir, '--out', out]);
    expectOneLineError(run, /train-images-idx3-ubyte/);
    expect(existsSync(out)).toBe(false);
  });

  it('wrong image size for the model: says which size and what to do', async () => {
    const dir = join(tempDir(), 'tiny-images');
    await writeIdxFolder(dir, {
      train: syntheticDataset({ count: 20, height: 8, width: 8 }),
      test: syntheticDataset({ count: 10, height: 8, width: 8 }),
    });
    const out = join(tempDir(), 'out');
    const run = await runCli([
      'train',
      '--model',
      'toy-resnet',
      '--epochs',
      '1',
      '--backend',
      'cpu',
      '--data',
      dir,
      '--out',
      out,
    ]);
    expectOneLineError(run, /model toy-resnet cannot take 8x8x1 images \(.*\); pick a model for this image size/);
    expect(existsSync(out)).toBe(false);
  });

  it('resuming on data of another size: says which data the run used', async () => {
    const out = join(tempDir(), 'run');
    expect((await runCli(['train', '--model', 'mlp-4', ...FAST, '--out', out])).code).toBe(0);
    const dir = join(tempDir(), 'small-images');
    await writeIdxFolder(dir, {
      train: syntheticDataset({ count: 200, height: 8, width: 8 }),
      test: syntheticDataset({ count: 10, height: 8, width: 8 }),
    });
    const run = await runCli(['train', '--resume', '--epochs', '2', '--backend', 'cpu', '--data', dir, '--out', out]);
    expectOneLineError(
      run,
      /takes 28x28x1 images in 10 classes, but --data .* has 8x8x1 images in 10; resume with --data sample/,
    );
  });

  it('output folder not writable, or a file', async () => {
    expectOneLineError(
      await runCli(['train', ...FAST, '--out', '/proc/tfjs-skip-out']),
      /--out "\/proc\/tfjs-skip-out" is not writable/,
    );
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    expectOneLineError(await runCli(['train', ...FAST, '--out', file]), /is a file, not a folder/);
    expectOneLineError(
      await runCli(['compare', ...FAST, '--out', join(file, 'sub')]),
      /lies below .*a-file, which is a file/,
    );
  });

  it('--out with ".." is refused', async () => {
    expectOneLineError(
      await runCli(['train', ...FAST, '--out', 'runs/../../etc']),
      /--out "runs\/..\/..\/etc" contains a "\.\." segment/,
    );
  });

  it('an existing run is not overwritten without --resume, and --resume needs a run', async () => {
    const out = join(tempDir(), 'run');
    mkdirSync(out);
    writeFileSync(join(out, 'model.json'), '{}');
    expectOneLineError(
      await runCli(['train', ...FAST, '--out', out]),
      /model\.json already exists; pass --resume to continue that run, or choose another --out/,
    );
    expectOneLineError(
      await runCli(['train', ...FAST, '--resume', '--out', out]),
      /--resume: .*model\.json holds a model but no tfjs-skip training state|cannot be loaded/,
    );
    expectOneLineError(
      await runCli(['train', ...FAST, '--resume', '--out', join(tempDir(), 'none')]),
      /--resume: .*model\.json does not exist/,
    );
  });

  it('bad numbers and unknown options are usage errors', async () => {
    const run = await runCli(['train', '--epochs', 'two']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /option '--epochs <n>' argument 'two' is invalid\. expected a whole number >= 1, received "two"/,
    );
    expect((await runCli(['train', '--backend', 'gpu'])).stderr).toMatch(
      /Allowed choices are auto, onednn, wasm, cpu, tensorflow/,
    );
  });
});

describe('exit codes and one-line reports', () => {
  it('known errors exit 1 as they are, write failures 3 with the file, anything else 4', () => {
    const data = Object.assign(new Error('x.bin: is 3 bytes; download it again'), { name: 'DataError' });
    expect(reportFailure(data)).toEqual({ line: 'x.bin: is 3 bytes; download it again', code: 1 });
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      path: '/runs/a/model.json',
    });
    expect(reportFailure(full)).toEqual({
      line:
        'cannot write /runs/a/model.json: no space left on the device (ENOSPC), nothing half-written is left; ' +
        'free some space or choose another --out, then run the command again ' +
        '(train: with --resume to continue from its last checkpoint, if it wrote one)',
      code: 3,
    });
    // An errno error without a path is not known to be ours to explain; nor is an unknown code.
    expect(writeFailure(Object.assign(new Error('EFBIG'), { code: 'EFBIG' }))).toBeNull();
    expect(writeFailure(Object.assign(new Error('?'), { code: 'toString', path: '/x' }))).toBeNull();
    expect(reportFailure(new TypeError('a is undefined\n  at f'))).toEqual({
      line: 'unexpected error: a is undefined (set TFJS_SKIP_DEBUG=1 for the stack trace)',
      code: 4,
    });
  });
});

/**
 * A folder of CIFAR-10 binaries: `data_batch_1.bin` with `trainRecords` records
 * (a fraction cuts the file), `test_batch.bin` with 10.
 */
function cifarFolder(trainRecords: number): string {
  const dir = join(tempDir(), 'cifar-10-batches-bin');
  mkdirSync(dir);
  const records = (n: number) =>
    Uint8Array.from({ length: Math.floor(n * CIFAR10_RECORD_BYTES) }, (_, i) =>
      i % CIFAR10_RECORD_BYTES === 0 ? (i / CIFAR10_RECORD_BYTES) % 10 : i % 251,
    );
  writeFileSync(join(dir, 'data_batch_1.bin'), records(trainRecords));
  writeFileSync(join(dir, 'test_batch.bin'), records(10));
  return dir;
}

/** An IDX folder (gzip files, as downloaded) of 28x28 images, as the sample, that mlp-4 trains on. */
async function idxFolder(name = 'digits'): Promise<string> {
  const dir = join(tempDir(), name);
  await writeIdxFolder(dir, {
    train: syntheticDataset({ count: 40, height: 28, width: 28 }),
    test: syntheticDataset({ count: 10, height: 28, width: 28 }),
  });
  return dir;
}

describe('data a user gets wrong: one line naming the file, exit 1, no --out written', () => {
  const train = (data: string, out: string) =>
    runCli(['train', '--model', 'mlp-4', ...FAST, '--data', data, '--out', out]);
  // Only as root, and only where `nobody` cannot reach the checkout, do the two permission tests not run; they say why.
  const noPermissionChecks = unprivilegedProblem();
  if (noPermissionChecks != null) console.warn(noPermissionChecks);

  it('a data set name that is not shipped, and a named folder that does not exist', async () => {
    const out = join(tempDir(), 'out');
    expectOneLineError(
      await train('mnist', out),
      /^tfjs-skip: mnist: is not shipped with this package; pass the folder holding its files, as 'mnist:DIR'$/,
    );
    expectOneLineError(
      await train('cifar10:/nonexistent/cifar', out),
      /^tfjs-skip: \/nonexistent\/cifar: folder not found; check the path$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a truncated CIFAR-10 file: says where it ends and to download it again', async () => {
    const out = join(tempDir(), 'out');
    const dir = cifarFolder(20.5);
    expectOneLineError(
      await train(`cifar10:${dir}`, out),
      new RegExp(
        `^tfjs-skip: ${join(dir, 'data_batch_1.bin')}: is ${Math.floor(20.5 * CIFAR10_RECORD_BYTES)} bytes, ` +
          '.* it ends 1536 bytes into record 21, so it is probably truncated: ' +
          'download the CIFAR-10 binary version \\(cifar-10-binary\\) again$',
      ),
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a truncated gzip IDX file, and a folder in place of a file', async () => {
    const out = join(tempDir(), 'out');
    const dir = await idxFolder();
    // A download cut 9 bytes short of its end.
    const labels = join(dir, 'train-labels-idx1-ubyte.gz');
    const gz = readFileSync(labels);
    writeFileSync(labels, gz.subarray(0, gz.length - 9));
    expectOneLineError(
      await train(`mnist:${dir}`, out),
      new RegExp(
        `^tfjs-skip: ${labels}: is gzip-compressed but does not decompress \\(.*\\); ` +
          'it is probably truncated: download it again$',
      ),
    );
    const images = await idxFolder('folders');
    const file = join(images, 't10k-images-idx3-ubyte.gz');
    rmSync(file);
    mkdirSync(file);
    expectOneLineError(
      await train(`mnist:${images}`, out),
      new RegExp(`^tfjs-skip: ${file}: is a folder, not a file; pass the file inside it$`),
    );
    expect(existsSync(out)).toBe(false);
  });

  it.skipIf(noPermissionChecks != null)(
    'a data file the user may not read (as nobody when the tests run as root)',
    async () => {
      const writable = tempDir();
      chmodSync(writable, 0o777);
      const out = join(writable, 'out');
      const dir = await idxFolder();
      chmodSync(join(dir, '..'), 0o755);
      chmodSync(dir, 0o755);
      chmodSync(join(dir, 'train-images-idx3-ubyte.gz'), 0o000);
      const run = await runCliLimited(['train', '--model', 'mlp-4', ...FAST, '--data', `mnist:${dir}`, '--out', out], {
        unprivileged: true,
      });
      expectOneLineError(
        run,
        new RegExp(
          `^tfjs-skip: ${join(dir, 'train-images-idx3-ubyte.gz')}: ` +
            'cannot be read \\(EACCES: permission denied, .*\\); check that it exists and is readable$',
        ),
      );
      expect(existsSync(out)).toBe(false);
    },
  );

  it.skipIf(noPermissionChecks != null)(
    'an --out folder the user may not write to (as nobody when the tests run as root)',
    async () => {
      const parent = tempDir();
      chmodSync(parent, 0o555);
      const run = await runCliLimited(['train', '--model', 'mlp-4', ...FAST, '--out', join(parent, 'run')], {
        unprivileged: true,
      });
      expectOneLineError(
        run,
        new RegExp(
          `^tfjs-skip: --out ".*run" is not writable \\(${parent} refuses writes\\); choose a folder you can write to`,
        ),
      );
      expect(readdirSync(parent)).toEqual([]);
    },
  );
});

describe('a disk that fills up during a run: one line, exit 3, the last whole checkpoint kept', () => {
  const args = (out: string, epochs: number) => [
    'train',
    '--model',
    'mlp-4',
    '--epochs',
    String(epochs),
    '--examples',
    '100',
    '--backend',
    'cpu',
    '--out',
    out,
  ];

  it(
    'at a file-size limit (ulimit -f 8 KiB) the first checkpoint fails: ' + 'nothing that --resume would trust is left',
    async () => {
      const out = join(tempDir(), 'run');
      const run = await runCliLimited(args(out, 1), { fileSizeKiB: 8 });
      // Node ignores SIGXFSZ, so the write fails with EFBIG instead of killing the process.
      expectOneLineError(
        run,
        new RegExp(
          `^tfjs-skip: cannot write ${out}/weights\\.[0-9a-f]{16}\\.bin: ` +
            'the file-size limit was reached \\(EFBIG\\), nothing half-written is left; ' +
            'raise it \\(ulimit -f unlimited\\), then run the command again',
        ),
        EXIT.writeFailed,
      );
      expect(readdirSync(out)).toEqual([]);
      expectOneLineError(await runCli([...args(out, 1), '--resume']), /--resume: .*model\.json does not exist/);
    },
  );

  // A 600 KiB tmpfs in a mount namespace of its own: mlp-4's checkpoint (weights
  // and Adam state, 330 KB) fits once, but saving the second beside it does not.
  const unshare = spawnSync('unshare', ['--mount', '--map-root-user', 'true']).status === 0;
  if (!unshare)
    console.warn(
      'unshare --mount --map-root-user is not permitted here: the full-tmpfs test does not run ' +
        '(the ulimit test above covers the write failure)',
    );

  it.runIf(unshare)(
    'on a full tmpfs the second checkpoint fails, the first is intact, ' +
      'and --resume finishes the run with the same numbers',
    () => {
      const epochsRead =
        'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' +
        '.userDefinedMetadata.tfjsSkip.history.length)';
      const script = `set -u
      D=$(mktemp -d) && mount -t tmpfs -o size=600k tmpfs "$D" || exit 90
      train() {
        "${process.execPath}" "${BIN}" train --model mlp-4 --epochs 2 --examples 100 --backend cpu \\
          --out "$D/run" "$@" 2>&1
        echo "exit $?"
      }
      train; echo "@@files"; ls -A "$D/run"
      echo "@@epochs"; "${process.execPath}" -e '${epochsRead}' "$D/run/model.json"
      mount -o remount,size=16m "$D"
      echo "@@resume"; train --resume`;
      const child = spawnSync('unshare', ['--mount', '--map-root-user', 'bash', '-c', script], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 110_000,
        env: { ...process.env, TFJS_SKIP_DEBUG: '' },
      });
      const [first, files, epochs, resumed] = child.stdout.split(/^@@\w+\n/m) as [string, string, string, string];
      expect(first).toMatch(
        new RegExp(
          String.raw`^tfjs-skip: cannot write .*\/run\/weights\.[0-9a-f]{16}\.bin: ` +
            String.raw`no space left on the device \(ENOSPC\), nothing half-written is left; ` +
            String.raw`free some space or choose another --out, then run the command again ` +
            String.raw`\(train: with --resume to continue from its last checkpoint, if it wrote one\)\nexit 3\n$`,
          'm',
        ),
      );
      expect(first.split('\n').filter((l) => l.startsWith('tfjs-skip:'))).toHaveLength(1);
      // The epoch-1 checkpoint and nothing else: no second weights file, no temporary file.
      expect(files.trim().split('\n').sort()).toEqual([
        'model.json',
        expect.stringMatching(/^weights\.[0-9a-f]{16}\.bin$/),
      ]);
      expect(epochs.trim()).toBe('1');
      expect(resumed).toMatch(/exit 0\n$/);
      // Resumed from epoch 1, epoch 2 repeats the lost one to the printed digit.
      const epoch2 = (text: string) => /mlp-4 epoch 2\/2: (loss \S+, accuracy \S+)/.exec(text)?.[1];
      expect(epoch2(resumed)).toBeDefined();
      expect(epoch2(resumed)).toBe(epoch2(first));
      expect(resumed).not.toMatch(/epoch 1\/2/);
    },
  );
});
