import { ConfigError } from '../errors.js';
import { ZOO_MODEL_ENTRIES } from './generated/entries.js';
import { isZooModel, type ZooModel } from './zoo_model.js';

function collect(): readonly ZooModel[] {
  return Object.entries(ZOO_MODEL_ENTRIES).map(([id, entry]: [string, unknown]) => {
    if (!isZooModel(entry) || entry.id !== id) {
      const file = id.replaceAll('-', '_');
      throw new Error(`src/zoo/models/${file}.ts must default-export defineZooModel({id: '${id}', ...})`);
    }
    return entry;
  });
}

/**
 * The model registry: every zoo model, by id. The command line's `--model`
 * choices, the playground's menu, the bench, docs/zoo.md and the zoo's
 * tests all iterate over it.
 */
export const ZOO_MODELS: readonly ZooModel[] = collect();

/** The ids of {@link ZOO_MODELS}, in order. */
export const ZOO_MODEL_IDS: readonly string[] = ZOO_MODELS.map((m) => m.id);

/** The entry of `id`, or an error listing the ids there are. */
export function zooModel(id: string): ZooModel {
  const model = ZOO_MODELS.find((m) => m.id === id);
  if (model === undefined) {
    throw new ConfigError(`there is no zoo model ${JSON.stringify(id)}; the zoo has ${ZOO_MODEL_IDS.join(', ')}`);
  }
  return model;
}

/**
 * Reads a model name as the command line takes it: an id (`toy-resnet`),
 * or an id and the size its `sizedBy` option takes (`resnet-20` is `resnet`
 * with `depth: 20`). Returns null for a name that is neither.
 *
 * @example
 * ```ts
 * import { parseZooName } from 'tfjs-skip/zoo';
 * const { model, args } = parseZooName('resnet-20')!;
 * [model.id, args]; // => ['resnet', { depth: 20 }]
 * parseZooName('resnet-x'); // => null
 * ```
 */
export function parseZooName(name: string): {
  /** The registry entry the name picks. */
  model: ZooModel;
  /** The size the name gives (`{depth: 20}` for `resnet-20`), empty for a bare id. */
  args: Record<string, number>;
} | null {
  const exact = ZOO_MODELS.find((m) => m.id === name);
  if (exact !== undefined) return { model: exact, args: {} };
  for (const model of ZOO_MODELS) {
    const size = model.sizedBy !== undefined && name.startsWith(`${model.id}-`) ? name.slice(model.id.length + 1) : '';
    if (/^\d+$/.test(size)) return { model, args: { [model.sizedBy!]: Number(size) } };
  }
  return null;
}

/** How the command line names `model`: `resnet-N` where a size is taken, else the id. */
export function zooNamePattern(model: ZooModel): string {
  return model.sizedBy === undefined ? model.id : `${model.id}-N`;
}
