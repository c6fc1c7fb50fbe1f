import { loadModel } from 'tfjs-skip';
import { CliError } from '../errors.js';
import { modelFileKind, modelHandler } from '../io/model-files.js';

/** Options of `tfjs-skip convert`. */
export interface ConvertOptions {
  /** Load weights holding NaN or ±Infinity instead of refusing them. */
  allowNonFinite?: boolean;
}

/**
 * `tfjs-skip convert IN OUT`: converts a model between a Keras file (`.keras`,
 * legacy `.h5`) and a TF.js model folder (`model.json` + weights), in either
 * direction, or between the two Keras formats. The input goes through the
 * safe loader (`loadModel`): a file it refuses is a one-line error and
 * nothing is written.
 */
export async function convertCommand(input: string, output: string, o: ConvertOptions = {}): Promise<number> {
  const from = modelFileKind(input);
  const to = modelFileKind(output);
  if (from === 'tfjs' && to === 'tfjs') {
    throw new CliError(
      'convert reads or writes a Keras file, but received two TF.js models ' +
        `(${JSON.stringify(input)} -> ${JSON.stringify(output)})`,
      'name a .keras or .h5 file on one side',
    );
  }
  const model = await loadModel(modelHandler(input), { allowNonFinite: o.allowNonFinite ?? false });
  try {
    await model.save(modelHandler(output));
    process.stdout.write(
      `converted ${input} (${from}, ${model.countParams().toLocaleString('en-US')} params) -> ${output} (${to})\n`,
    );
  } finally {
    model.dispose();
  }
  return 0;
}
