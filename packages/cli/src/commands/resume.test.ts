import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../testing/run_cli.js';

/** Fields of metrics.json that measure wall-clock time, the only ones a resumed run may change. */
const TIMING = new Set(['epochSeconds', 'trainSeconds', 'sessionSeconds']);

/**
 * The weights file's name (a hash of its bytes) and bytes, model.json without timings,
 * metrics.json without timings.
 */
function finalState(dir: string) {
  const weights = readdirSync(dir).filter((f) => /^weights\.[0-9a-f]{16}\.bin$/.test(f));
  expect(weights).toHaveLength(1);
  const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    userDefinedMetadata: { tfjsSkip: { history: Array<{ seconds?: number }> } };
  };
  for (const e of model.userDefinedMetadata.tfjsSkip.history) delete e.seconds;
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
  return {
    weightsName: weights[0],
    weights: readFileSync(join(dir, weights[0])),
    model,
    metrics: Object.fromEntries(Object.entries(metrics).filter(([k]) => !TIMING.has(k))),
  };
}

function savedEpochs(dir: string): number {
  const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    userDefinedMetadata: { tfjsSkip: { history: unknown[] } };
  };
  return model.userDefinedMetadata.tfjsSkip.history.length;
}

describe('exact resume', () => {
  // SGD with momentum, L2 weight decay, a step schedule falling mid-run, crop+flip:
  // every piece of state a resume must restore.
  const args = [
    'train',
    '--model',
    'residual-mlp-4',
    '--examples',
    '300',
    '--epochs',
    '3',
    '--batch-size',
    '30',
    '--recipe',
    'he2016',
    '--backend',
    'cpu',
  ];

  it(
    'SIGKILL mid-step, mid-checkpoint-write and before metrics.json: ' +
      'the resumed run ends bit for bit as an uninterrupted one',
    async () => {
      const whole = join(tempDir(), 'whole');
      expect((await runCli([...args, '--out', whole])).code).toBe(0);

      const cut = join(tempDir(), 'cut');
      const killedAt = async (point: string, resume: boolean) => {
        const run = await runCli([...args, '--out', cut, ...(resume ? ['--resume'] : [])], undefined, {
          TFJS_SKIP_KILL_AT: point,
        });
        expect(run.signal, `${point}: ${run.stderr}`).toBe('SIGKILL');
      };
      await killedAt('step:14', false); // epoch 2 of 3 (10 steps an epoch), after its optimizer update
      expect(savedEpochs(cut)).toBe(1);
      await killedAt('checkpoint:1', true); // this session's first checkpoint: the end of epoch 2
      expect(savedEpochs(cut)).toBe(1); // the half-written checkpoint is not the one model.json names
      const files = readdirSync(cut);
      expect(files.some((f) => f.endsWith('.tmp'))).toBe(true); // killed while writing it
      await killedAt('step:25', true); // epoch 3, after the rate fell twice
      await killedAt('finish', true); // all epochs saved, metrics.json not yet written
      expect(savedEpochs(cut)).toBe(3);
      expect(existsSync(join(cut, 'metrics.json'))).toBe(false);
      const last = await runCli([...args, '--out', cut, '--resume']);
      expect(last.stderr).toBe('');
      expect(last.code).toBe(0);
      // the next save cleared the killed one's debris
      expect(readdirSync(cut).some((f) => f.endsWith('.tmp'))).toBe(false);

      const a = finalState(whole);
      const b = finalState(cut);
      expect(b.weightsName).toBe(a.weightsName);
      expect(b.weights.equals(a.weights)).toBe(true);
      expect(b.model).toEqual(a.model);
      expect(b.metrics).toEqual(a.metrics);
    },
  );

  it(
    'killed from outside at moments spread over the run, resumed each time: ' +
      'same weights and metrics as uninterrupted',
    async () => {
      const adamw = [
        'train',
        '--model',
        'residual-mlp-4',
        '--examples',
        '600',
        '--epochs',
        '4',
        '--batch-size',
        '20',
        '--optimizer',
        'adamw',
        '--schedule',
        'cosine',
        '--warmup-epochs',
        '0.5',
        '--label-smoothing',
        '0.1',
        '--augment',
        'crop,flip',
        '--backend',
        'cpu',
      ];
      const whole = join(tempDir(), 'whole');
      let firstOutput = 0;
      const timed = await runCli([...adamw, '--out', whole], () => void (firstOutput ||= performance.now()));
      expect(timed.code).toBe(0);
      const duration = performance.now() - firstOutput; // from the first line printed to the end, on this machine

      const cut = join(tempDir(), 'cut');
      let kills = 0;
      for (const fraction of [0.3, 0.55, 0.8, 0.95]) {
        const resume = existsSync(join(cut, 'model.json'));
        let armed = false;
        const run = await runCli([...adamw, '--out', cut, ...(resume ? ['--resume'] : [])], (_, child) => {
          if (!armed) setTimeout(() => child.kill('SIGKILL'), fraction * duration).unref();
          armed = true;
        });
        if (run.signal === 'SIGKILL') kills++;
        else expect(run.code, run.stderr).toBe(0); // it finished before the kill: fine
        if (existsSync(join(cut, 'metrics.json'))) break; // killed after its last file, or finished
      }
      if (!existsSync(join(cut, 'metrics.json'))) {
        const last = await runCli([...adamw, '--out', cut, '--resume']);
        expect(last.code, last.stderr).toBe(0);
      }
      expect(kills).toBeGreaterThanOrEqual(1);
      const a = finalState(whole);
      const b = finalState(cut);
      expect(b.weights.equals(a.weights)).toBe(true);
      expect(b.model).toEqual(a.model);
      expect(b.metrics).toEqual(a.metrics);
    },
  );
});
