import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ONNX_OPSET, type OnnxLayout } from 'tfjs-skip';
import { saveOnnx } from 'tfjs-skip/node';
import { CliError } from '../errors.js';
import { loadModelFile, modelFileKind, modelHandler, READABLE_MODELS, type ModelFileKind } from '../io/model_files.js';

/** Options of `tfjs-skip convert`. */
export interface ConvertOptions {
  /** Load weights holding NaN or ±Infinity instead of refusing them. */
  allowNonFinite?: boolean;
  /** The most parameters the input may hold (the safe loader's maxParameters). */
  maxParameters?: number;
  /** For an ONNX output: the layout of image inputs and outputs (default `channelsLast`, as the TF.js model). */
  layout?: OnnxLayout;
}

/**
 * `tfjs-skip convert IN OUT`: converts a model between a Keras file (`.keras`,
 * legacy `.h5`) and a TF.js model folder (`model.json` + weights), in either
 * direction, or between the two Keras formats, and writes any of them as an
 * ONNX file (`OUT.onnx`, `toOnnx` of tfjs-skip). The input goes through the
 * safe loader (`loadModel`): a file it refuses is a one-line error and
 * nothing is written.
 */
export async function convertCommand(input: string, output: string, options: ConvertOptions = {}): Promise<number> {
  const to = modelFileKind(output);
  if (modelFileKind(input) === 'tfjs' && to === 'tfjs') {
    throw new CliError(
      'convert reads or writes a Keras file, or writes an ONNX file, but received two TF.js models ' +
        `(${JSON.stringify(input)} -> ${JSON.stringify(output)})`,
      'name a .keras, .h5 or .onnx file as the output, or a .keras or .h5 file as the input',
    );
  }
  const from = readableKind(input);
  if (options.layout !== undefined && to !== 'onnx') {
    throw new CliError(
      `--layout is for an ONNX output, but the output ${JSON.stringify(output)} is ${to}`,
      'drop --layout',
    );
  }
  const model = await loadModelFile(input, {
    allowNonFinite: options.allowNonFinite ?? false,
    maxParameters: options.maxParameters,
  });
  try {
    let written: string = to;
    if (to === 'onnx') {
      const layout = options.layout ?? 'channelsLast';
      const bytes = await saveOnnx(model, output, { layout });
      written = `onnx, opset ${ONNX_OPSET}, ${layout}, ${bytes.toLocaleString('en-US')} bytes`;
    } else {
      await model.save(modelHandler(output));
    }
    process.stdout.write(
      `converted ${input} (${from}, ${model.countParams().toLocaleString('en-US')} params) -> ${output} (${written})\n`,
    );
  } finally {
    model.dispose();
  }
  return 0;
}

/** The kind of the model to read, or a one-line error naming the formats convert reads. */
function readableKind(input: string): ModelFileKind {
  const kind = modelFileKind(input);
  const folder = existsSync(input) && statSync(input).isDirectory();
  if (kind === 'onnx' || (kind === 'tfjs' && !folder && !/\.json$/i.test(input))) {
    const problem =
      kind === 'onnx'
        ? 'convert writes ONNX files but does not read them'
        : existsSync(input)
          ? `${JSON.stringify(basename(input))} is not a model file convert reads`
          : 'there is no such file or folder';
    throw new CliError(`cannot read ${JSON.stringify(input)}: ${problem}`, `give ${READABLE_MODELS}`);
  }
  return kind;
}
