import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { onednnSetup } from './onednn.js';
import type { Report } from './report.js';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'tfjs-skip-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// The peers of `.venv` (PyTorch 2.13, Keras) are left out: bringing them up may install PyTorch, which is the
// bench's business and not a test's; Debian's PyTorch runs when it is installed, onednn when its addon loads.
// Ten measuring processes one after the other: a few seconds each on an idle machine, 15 s each under a load of
// 13 on 2 cores (the repository's 120 s per test was not enough there).
describe('npm run bench -- --quick (toy ResNet, batch 4, 1 and 2 threads)', () => {
  it('measures every engine, writes report.json and report.md, and nothing accumulates tensors', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        tsx,
        main,
        '--quick',
        '--models',
        'toy-resnet',
        '--engines',
        'cpu,wasm,onednn,pytorch-debian',
        '--threads',
        '1,2',
        '--batch',
        '4',
        '--out',
        out,
      ],
      { maxBuffer: 2 ** 26 },
    );
    expect(stdout).toContain('wrote');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

    expect(report.failed).toEqual([]);
    expect(report.quick).toBe(true);
    const rows = report.measurements;
    const engines = new Set(rows.map((m) => `${m.engine} ${m.task}`));
    for (const e of ['cpu infer', 'wasm train', 'wasm infer']) expect(engines).toContain(e);
    for (const m of rows) {
      for (const value of [
        m.msPerBatch,
        m.minMsPerBatch,
        m.cpuMsPerBatch,
        m.msPerImage,
        m.imagesPerSecond,
        m.maxRssMiB,
      ])
        expect(value).toBeGreaterThan(0);
      expect(m.msPerImage).toBeCloseTo(m.msPerBatch / m.batch, 6);
      if (m.framework === 'tfjs') expect(m.tensorGrowth).toBe(0);
    }
    // wasm on its own kernel threads and onednn on oneDNN's, at each count asked for; the 1 -> 2 speedup counts
    // from the same engine's one-thread row, with Amdahl's projection.
    const { availability: onednn, version } = await onednnSetup();
    const threadedEngines = onednn.available ? ['wasm', 'onednn'] : ['wasm'];
    for (const engine of threadedEngines) {
      for (const task of ['train', 'infer']) {
        const one = rows.find((m) => m.engine === engine && m.task === task && m.threads === 1)!;
        const threaded = rows.find((m) => m.engine === engine && m.task === task && m.threads === 2)!;
        expect(threaded.tensorGrowth).toBe(0);
        expect(threaded.scaling!.cores).toBe(2);
        expect(threaded.scaling!.speedup).toBeCloseTo(one.msPerImage / threaded.msPerImage, 6);
        expect(threaded.scaling!.projected[16]).toBeGreaterThanOrEqual(1);
      }
    }
    if (onednn.available) {
      expect(report.machine.onednn).toBe(version);
      for (const m of rows.filter((r) => r.engine === 'onednn')) expect(m.version).toBe(version);
    } else {
      expect(rows.some((m) => m.engine === 'onednn')).toBe(false);
      expect(report.skipped).toContainEqual({ what: 'toy-resnet on onednn', reason: onednn.reason });
    }

    const torchRan = rows.some((m) => m.framework === 'pytorch');
    if (torchRan) {
      expect(report.machine.peers['pytorch-debian']).toMatch(/^\d/);
      for (const m of rows.filter((r) => r.framework === 'tfjs')) {
        expect(m.vsFastestPeer).toBeGreaterThan(0);
        expect(m.fastestPeer).toBe('pytorch (Debian)');
        expect(m.rssVsPyTorch).toBeGreaterThan(0);
      }
    } else {
      expect(report.skipped.some((s) => s.what.includes('pytorch-debian'))).toBe(true);
    }

    const o = report.overhead!;
    expect(o.maxAbsDifference).toBeLessThan(1e-4);
    for (const r of [o.infer, o.train]) {
      expect(r.skipConnectionMs).toBeGreaterThan(0);
      expect(r.ratio).toBeCloseTo(r.skipConnectionMs / r.functionalMs, 6);
      expect(r.cpuRatio).toBeGreaterThan(0);
    }

    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('| model | task | engine | threads | batch |');
    expect(md).toContain('## SkipConnection overhead');
    // Every row in the full table, and one summary line per TF.js engine, task and thread count, but cpu (wasm
    // ran wherever it did).
    const summaries = rows.filter((m) => m.framework === 'tfjs' && m.engine !== 'cpu');
    expect(md).toContain('## tfjs-skip against Keras and PyTorch');
    expect(md.match(/^\| toy-resnet \|/gm)).toHaveLength(rows.length + summaries.length);
  }, 360_000);
});

describe('bench arguments', () => {
  it('refuses unknown engines and options, naming the choices', async () => {
    const { parseArgs } = await import('./plan.js');
    expect(() => parseArgs(['--engines', 'wasm,gpu'])).toThrow(
      '--engines: unknown gpu; choose from cpu, wasm, onednn, tensorflow, pytorch, pytorch-debian, keras.',
    );
    expect(() => parseArgs(['--fast'])).toThrow('Unknown option --fast');
    // What npm passes on when the options are given without `--`: their values only.
    expect(() => parseArgs(['toy-resnet', 'wasm'])).toThrow(
      'Unexpected argument toy-resnet wasm: options start with --.',
    );
    expect(parseArgs(['--quick'])).toMatchObject({ quick: true, batch: 32 });
    expect(parseArgs(['--threads', '1,4']).threads).toEqual([1, 4]);
    expect(() => parseArgs(['--threads', '1,x'])).toThrow('--threads takes thread counts separated by commas');
  });
});
