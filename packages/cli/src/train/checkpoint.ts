import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fileSystem } from 'tfjs-skip/node';
import { CliError } from '../errors.js';
import { optimizerExtras, restoreOptimizerExtras } from 'tfjs-skip-train';
import { watchCheckpointWrite } from './kill_point.js';
import { parseRunState, type RunState } from './run_state.js';

/**
 * Saves model weights, optimizer state and run state to `dir/model.json` +
 * one weights file, replaced atomically by tfjs-skip's `fileSystem` handler:
 * an interruption at any moment leaves the previous checkpoint or this one.
 */
export async function saveCheckpoint(model: tf.LayersModel, dir: string, state: RunState): Promise<void> {
  const withExtras: RunState = { ...state, optimizerExtras: optimizerExtras(model.optimizer) };
  // JSON round trip: TF.js accepts only plain JSON values (no `undefined`) as metadata.
  model.setUserDefinedMetadata({ tfjsSkip: JSON.parse(JSON.stringify(withExtras)) as Record<string, unknown> });
  const stopWatching = watchCheckpointWrite(dir);
  try {
    await model.save(fileSystem(dir), { includeOptimizer: true });
  } finally {
    stopWatching();
  }
}

/** A checkpoint read back: the compiled model (optimizer restored) and its run state. */
export interface Checkpoint {
  readonly model: tf.LayersModel;
  readonly state: RunState;
}

/** Loads the checkpoint in `dir`, or a one-line error saying why it cannot be resumed. */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const file = join(dir, 'model.json');
  if (!existsSync(file))
    throw new CliError(
      `--resume: ${file} does not exist`,
      'train without --resume to start a run, or pass the --out of an interrupted run',
    );
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(fileSystem(file));
  } catch (e) {
    throw new CliError(
      `--resume: ${file} cannot be loaded (${(e as Error).message.split('\n')[0]})`,
      'start a new run in another --out folder',
    );
  }
  const state = parseRunState(model.getUserDefinedMetadata());
  if (state == null || model.optimizer == null) {
    model.dispose();
    throw new CliError(
      `--resume: ${file} holds a model but no tfjs-skip training state`,
      'start a new run in another --out folder',
    );
  }
  restoreOptimizerExtras(model.optimizer, state.optimizerExtras ?? []);
  return { model, state };
}
