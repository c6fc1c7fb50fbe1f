import * as tf from '@tensorflow/tfjs';
import {
  BACKENDS,
  chooseBackend,
  describeBackend,
  isBackend,
  startWasmThreads,
  switchBackend,
  webgpuMissing,
  type Backend,
} from './backends.js';
import { permutation, type Dataset, type DataSplits } from 'tfjs-skip-data';
import { RECIPE_NAMES, RECIPES, recipeText, type RecipeName } from 'tfjs-skip-train';
import { wasmThreads } from 'tfjs-wasm-train';
import { drawHeatMaps, drawLines, heatMapCellAt, type HeatMapArea, type Series } from './charts.js';
import { loadSample } from './data.js';
import {
  BLOCK_KINDS,
  MODEL_KINDS,
  buildChoice,
  defaultsOf,
  fieldsOf,
  labelOf,
  twinOf,
  untrainableReason,
  type BlockKind,
  type LayerKind,
  type ModelChoice,
  type ModelKind,
} from './models.js';
import {
  download,
  downloadKeras,
  loadFromFiles,
  loadFromIndexedDB,
  loadKerasFile,
  saveToIndexedDB,
} from './persistence.js';
import { renderPredictions } from './predictions.js';
import { isRecipeName, recipeFields, resolvePageRun, type PageRun } from './recipe_choice.js';
import { renderSummary } from './summary_view.js';
import { Run } from './training.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const ui = {
  modelSelect: $<HTMLSelectElement>('model-select'),
  block: $<HTMLSelectElement>('block'),
  layers: $<HTMLSelectElement>('layers'),
  depth: $<HTMLInputElement>('depth'),
  width: $<HTMLInputElement>('width'),
  modelError: $<HTMLParagraphElement>('model-error'),
  summary: $<HTMLDivElement>('summary'),
  backend: $<HTMLSelectElement>('backend'),
  backendNote: $<HTMLParagraphElement>('backend-note'),
  threadsField: $<HTMLLabelElement>('threads-field'),
  wasmThreads: $<HTMLOutputElement>('wasm-threads'),
  recipe: $<HTMLSelectElement>('recipe'),
  recipeNote: $<HTMLParagraphElement>('recipe-note'),
  steps: $<HTMLInputElement>('steps'),
  batch: $<HTMLInputElement>('batch'),
  lr: $<HTMLInputElement>('lr'),
  compare: $<HTMLInputElement>('compare'),
  compareLabel: $<HTMLSpanElement>('compare-label'),
  train: $<HTMLButtonElement>('train'),
  status: $<HTMLParagraphElement>('status'),
  lossChart: $<HTMLElement>('loss-chart'),
  lrChart: $<HTMLElement>('lr-chart'),
  lrValue: $<HTMLOutputElement>('lr-value'),
  accuracy: $<HTMLElement>('accuracy'),
  accuracyValue: $<HTMLOutputElement>('accuracy-value'),
  gradChart: $<HTMLElement>('grad-chart'),
  gradCell: $<HTMLOutputElement>('grad-cell'),
  predictions: $<HTMLDivElement>('predictions'),
  newSamples: $<HTMLButtonElement>('new-samples'),
  predictScore: $<HTMLSpanElement>('predict-score'),
  saveIndexedDB: $<HTMLButtonElement>('save-indexeddb'),
  loadIndexedDB: $<HTMLButtonElement>('load-indexeddb'),
  download: $<HTMLButtonElement>('download'),
  loadFiles: $<HTMLInputElement>('load-files'),
  downloadKeras: $<HTMLButtonElement>('download-keras'),
  loadKeras: $<HTMLInputElement>('load-keras'),
  ioStatus: $<HTMLParagraphElement>('io-status'),
};

const COLORS = ['#2563eb', '#dc2626'];
const GALLERY_SIZE = 12;

/** What the page holds: the data, the model and its twin with their training runs. */
const state: {
  sample: DataSplits | null;
  runs: Run[];
  /** Why the current model cannot be trained, if it cannot. */
  untrainable: string | null;
  training: boolean;
  stopRequested: boolean;
  gallerySeed: number;
} = { sample: null, runs: [], untrainable: null, training: false, stopRequested: false, gallerySeed: 0 };

function option(select: HTMLSelectElement, value: string, label: string, title = ''): void {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  o.title = title;
  select.append(o);
}

function readChoice(): ModelChoice {
  return {
    kind: ui.modelSelect.value,
    block: ui.block.value as BlockKind,
    layers: ui.layers.value as LayerKind,
    depth: Number(ui.depth.value),
    width: Number(ui.width.value),
  };
}

/** Shows only the fields the chosen model uses, with what they mean for it. */
function showFields(kind: ModelKind): void {
  const f = fieldsOf(kind);
  $('block-field').hidden = !f.block;
  $('layers-field').hidden = !f.layers;
  $('depth-field').hidden = f.depth == null;
  $('width-field').hidden = f.width == null;
  $('depth-hint').textContent = f.depth ?? '';
  $('width-hint').textContent = f.width ?? '';
}

function setStatus(text: string): void {
  ui.status.textContent = text;
}

function currentModel(): tf.LayersModel | null {
  return state.runs[0]?.model ?? null;
}

function disposeRuns(): void {
  for (const run of state.runs) {
    run.dispose();
    run.model.dispose();
  }
  state.runs = [];
}

/** Makes `models` the page's models: summary, charts and predictions start afresh. */
async function adopt(models: Array<{ label: string; model: tf.LayersModel }>, note?: string): Promise<void> {
  disposeRuns();
  state.runs = models.map(({ label, model }) => new Run(label, model));
  const [main, twin] = state.runs;
  renderSummary(
    ui.summary,
    main.model,
    [note, twin && `twin "${twin.label}": ${twin.model.countParams().toLocaleString('en-US')} params`]
      .filter(Boolean)
      .join('; '),
  );
  drawCharts();
  updateControls();
  await showPredictions();
}

/** Builds the model the form describes (and its twin, when comparing). */
async function rebuild(): Promise<void> {
  if (state.training) return;
  const choice = readChoice();
  state.untrainable = untrainableReason(choice.kind);
  const twin = twinOf(choice);
  ui.compare.disabled = twin == null;
  ui.compareLabel.textContent =
    twin == null
      ? 'no plain/residual twin for this model'
      : `train the ${twin.kind === 'compose' ? `${twin.block} twin` : twin.kind} alongside`;
  let models: Array<{ label: string; model: tf.LayersModel }>;
  try {
    const main = buildChoice(choice);
    models = [{ label: main.name, model: main }];
    if (twin && ui.compare.checked && !state.untrainable) {
      const other = buildChoice(twin);
      models.push({ label: other.name, model: other });
    }
  } catch (e) {
    // The library's own message: what was received and what would fix it.
    ui.modelError.textContent = (e as Error).message;
    ui.modelError.hidden = false;
    return;
  }
  ui.modelError.hidden = true;
  await adopt(models);
  setStatus(state.untrainable ?? `${models.map((m) => m.label).join(' and ')} ready: press Train`);
}

function updateControls(): void {
  const ready = state.sample != null && state.runs.length > 0;
  ui.train.disabled = !ready || (state.untrainable != null && !state.training);
  ui.train.textContent = state.training ? 'Stop' : 'Train';
  ui.train.title = state.untrainable ?? '';
  for (const el of [
    ui.modelSelect,
    ui.block,
    ui.layers,
    ui.depth,
    ui.width,
    ui.backend,
    ui.compare,
    ui.recipe,
    ui.batch,
    ui.lr,
    ui.steps,
  ]) {
    el.disabled = state.training || (el === ui.compare && twinOf(readChoice()) == null);
  }
  const ioControls = [ui.saveIndexedDB, ui.download, ui.downloadKeras, ui.loadIndexedDB, ui.loadFiles, ui.loadKeras];
  for (const el of [...ioControls, ui.newSamples]) el.disabled = state.training || !ready;
}

function drawCharts(): void {
  const runs = state.runs;
  const loss: Series[] = runs.map((r, i) => ({
    label: r.label,
    color: COLORS[i],
    points: r.steps.map((s, step) => [step + 1, s.loss]),
  }));
  drawLines(ui.lossChart.querySelector('canvas')!, loss, { yLabel: 'loss' });
  // One schedule for both models: the first run's rates.
  const rates = runs[0]?.steps.map((s) => s.learningRate) ?? [];
  const rateSeries: Series[] = [
    { label: 'learning rate', color: COLORS[0], points: rates.map((rate, step) => [step + 1, rate]) },
  ];
  drawLines(ui.lrChart.querySelector('canvas')!, rateSeries, { yLabel: 'learning rate', height: 120 });
  ui.lrChart.dataset.rates = JSON.stringify(rates);
  ui.lrValue.textContent = rates.length === 0 ? 'not trained yet' : String(+rates.at(-1)!.toPrecision(4));
  const first = runs[0]?.steps[0]?.loss;
  const last = runs[0]?.steps.at(-1)?.loss;
  ui.lossChart.dataset.steps = String(runs[0]?.steps.length ?? 0);
  ui.lossChart.dataset.firstLoss = first == null ? '' : String(first);
  ui.lossChart.dataset.lastLoss = last == null ? '' : String(last);

  const accuracy: Series[] = runs.map((r, i) => ({
    label: r.label,
    color: COLORS[i],
    points: r.accuracy.map((a) => [a.step, a.value]),
  }));
  drawLines(ui.accuracy.querySelector('canvas')!, accuracy, { yLabel: 'accuracy', yRange: [0, 1], height: 160 });
  const latest = runs.map((r) => r.accuracy.at(-1)).filter((a) => a != null);
  ui.accuracyValue.textContent =
    latest.length === 0
      ? 'not trained yet'
      : runs
          .map((r) => `${r.label} ${r.accuracy.at(-1) ? `${(100 * r.accuracy.at(-1)!.value).toFixed(1)}%` : '–'}`)
          .join(' · ');
  ui.accuracy.dataset.value = runs[0]?.accuracy.at(-1)?.value.toString() ?? '';

  heatMapAreas = drawHeatMaps(
    ui.gradChart.querySelector('canvas')!,
    runs.map((r) => ({ title: r.label, rows: r.rowNames, columns: r.steps.map((s) => s.gradNorms) })),
  );
}

let heatMapAreas: HeatMapArea[] = [];

/** Names the heat-map cell under the pointer: model, layer, step and gradient norm. */
function showGradCell(event: PointerEvent): void {
  const rect = (event.target as HTMLCanvasElement).getBoundingClientRect();
  const cell = heatMapCellAt(heatMapAreas, event.clientX - rect.left, event.clientY - rect.top);
  ui.gradCell.textContent = cell
    ? `${cell.title} · ${cell.layer} · step ${cell.step}: ‖grad‖ = ${cell.value.toExponential(2)}`
    : 'point at a cell to read it';
}

async function showPredictions(): Promise<void> {
  const model = currentModel();
  if (state.sample == null || model == null || state.untrainable) {
    ui.predictions.replaceChildren();
    ui.predictScore.textContent = state.untrainable ? 'per-pixel model: no class predictions' : '';
    return;
  }
  const order = permutation(state.sample.test.count, state.gallerySeed);
  const indices = Array.from(order.subarray(0, GALLERY_SIZE));
  const correct = await renderPredictions(ui.predictions, model, state.sample.test, indices);
  ui.predictScore.textContent = `${correct} of ${indices.length} right (model "${model.name}")`;
}

/** Selects recipe `name` and fills the learning-rate and batch fields with its values. */
function chooseRecipe(name: RecipeName): void {
  ui.recipe.value = name;
  const fields = recipeFields(name);
  ui.lr.value = String(fields.learningRate);
  ui.batch.value = String(fields.batchSize);
}

/** The run the form describes: the chosen recipe, with the fields' rate and batch, over the steps asked. */
function pageRun(train: Dataset): PageRun {
  const whole = (input: HTMLInputElement) => Math.floor(Number(input.value));
  return resolvePageRun(
    ui.recipe.value as RecipeName,
    { learningRate: Number(ui.lr.value), batchSize: whole(ui.batch) },
    whole(ui.steps),
    train,
  );
}

/** Says what the next press of Train will run, or why the form cannot be run. */
function showRecipe(): void {
  if (state.sample == null) return;
  try {
    const run = pageRun(state.sample.train);
    ui.recipeNote.textContent =
      `${recipeText(run.recipe)}; ${run.steps} steps of ${run.recipe.batchSize} images ` +
      `(${+run.epochs.toFixed(2)} epochs of ${run.stepsPerEpoch})`;
    ui.recipeNote.classList.remove('error');
  } catch (e) {
    ui.recipeNote.textContent = (e as Error).message;
    ui.recipeNote.classList.add('error');
  }
}

/**
 * Trains every run through `fit` on the same batches (one seed) for the steps
 * asked, under the chosen recipe; stops early on request.
 */
async function train(): Promise<void> {
  const sample = state.sample!;
  let run: PageRun;
  try {
    run = pageRun(sample.train);
  } catch (e) {
    setStatus(`cannot train: ${(e as Error).message}`);
    return;
  }
  const evaluateEvery = Math.max(10, Math.round(run.steps / 8));
  // A new seed for each press (the steps done so far), so a second press sees other batches.
  const seed = 42 + state.runs[0].steps.length;
  state.training = true;
  state.stopRequested = false;
  updateControls();
  const started = performance.now();
  let done = 0;
  try {
    await Promise.all(
      state.runs.map((r, i) =>
        r.train(sample, run, {
          seed,
          evaluateEvery,
          stopRequested: () => state.stopRequested,
          onStep: () => {
            if (i !== 0) return;
            done += 1;
            const seconds = (performance.now() - started) / 1000;
            setStatus(
              `step ${done} of ${run.steps} on ${tf.getBackend()}: loss ` +
                `${state.runs.map((other) => other.steps.at(-1)?.loss.toFixed(3) ?? '–').join(' / ')} · ` +
                `${(done / seconds).toFixed(1)} steps/s · ${tf.memory().numTensors} tensors`,
            );
            drawCharts();
          },
        }),
      ),
    );
    drawCharts();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setStatus(
      `trained ${state.runs[0].steps.length} steps in all (${seconds} s this time) on ${tf.getBackend()}: test ` +
        `accuracy ${state.runs.map((r) => `${r.label} ${(100 * r.accuracy.at(-1)!.value).toFixed(1)}%`).join(', ')}`,
    );
    ui.status.dataset.state = 'trained';
  } finally {
    state.training = false;
    updateControls();
    showThreads();
  }
  await showPredictions();
}

/** Runs `task` for a save/load button, reporting its outcome or error. */
async function io(task: () => Promise<string>): Promise<void> {
  ui.ioStatus.dataset.state = 'busy';
  try {
    ui.ioStatus.textContent = await task();
    ui.ioStatus.dataset.state = 'done';
  } catch (e) {
    ui.ioStatus.textContent = `failed: ${(e as Error).message}`;
    ui.ioStatus.dataset.state = 'failed';
  }
}

async function adoptLoaded(model: tf.LayersModel, from: string): Promise<string> {
  state.untrainable =
    model.outputs[0].shape.length === 2 ? null : 'this model does not output one logit vector per image';
  await adopt([{ label: model.name, model }], `loaded from ${from}`);
  setStatus(`loaded "${model.name}" from ${from}: train it further or look at its predictions`);
  return `loaded "${model.name}" from ${from} (${model.countParams().toLocaleString('en-US')} params)`;
}

function wire(): void {
  for (const kind of MODEL_KINDS) option(ui.modelSelect, kind, labelOf(kind));
  for (const kind of BLOCK_KINDS) option(ui.block, kind, kind);
  for (const name of RECIPE_NAMES) option(ui.recipe, name, name, RECIPES[name].summary);
  const params = new URLSearchParams(location.search);
  const recipe = params.get('recipe');
  chooseRecipe(isRecipeName(recipe) ? recipe : 'adam');
  const kind = params.get('model');
  ui.modelSelect.value = MODEL_KINDS.includes(kind ?? '') ? kind! : 'compose';
  ui.block.value = 'residual';
  const defaults = defaultsOf(ui.modelSelect.value);
  ui.depth.value = params.get('depth') ?? String(defaults.depth);
  ui.width.value = params.get('width') ?? String(defaults.width);
  showFields(ui.modelSelect.value);

  ui.modelSelect.addEventListener('change', () => {
    const k = ui.modelSelect.value;
    ui.depth.value = String(defaultsOf(k).depth);
    ui.width.value = String(defaultsOf(k).width);
    showFields(k);
    void rebuild();
  });
  for (const el of [ui.block, ui.layers, ui.depth, ui.width, ui.compare])
    el.addEventListener('change', () => void rebuild());
  ui.lr.addEventListener('change', () => void rebuild());
  ui.recipe.addEventListener('change', () => {
    chooseRecipe(ui.recipe.value as RecipeName);
    void rebuild();
  });
  for (const el of [ui.recipe, ui.lr, ui.steps, ui.batch]) el.addEventListener('change', showRecipe);
  ui.train.addEventListener('click', () => {
    if (state.training) state.stopRequested = true;
    else void train().catch(fatal);
  });
  ui.backend.addEventListener('change', () => {
    const wanted = ui.backend.value as Backend;
    void switchBackend(wanted).then(async (problem) => {
      if (problem != null) {
        const fallback = await chooseBackend('cpu');
        ui.backend.value = fallback.name;
        showBackend(`${problem}; ${fallback.note}`);
      } else {
        showBackend(`using ${describeBackend(wanted)}`);
      }
    });
  });
  ui.newSamples.addEventListener('click', () => {
    state.gallerySeed += 1;
    void showPredictions();
  });
  ui.saveIndexedDB.addEventListener('click', () => void io(() => saveToIndexedDB(currentModel()!)));
  ui.download.addEventListener('click', () => void io(() => download(currentModel()!, currentModel()!.name)));
  ui.loadIndexedDB.addEventListener(
    'click',
    () => void io(async () => adoptLoaded(await loadFromIndexedDB(), 'IndexedDB')),
  );
  ui.loadFiles.addEventListener('change', () => {
    const files = Array.from(ui.loadFiles.files ?? []);
    void io(async () => adoptLoaded(await loadFromFiles(files), files.map((f) => f.name).join(' + '))).finally(
      () => (ui.loadFiles.value = ''),
    );
  });
  ui.downloadKeras.addEventListener('click', () => void io(() => downloadKeras(currentModel()!, currentModel()!.name)));
  ui.loadKeras.addEventListener('change', () => {
    const file = ui.loadKeras.files?.[0];
    if (file === undefined) return;
    void io(async () => adoptLoaded(await loadKerasFile(file), file.name)).finally(() => (ui.loadKeras.value = ''));
  });
  const gradCanvas = ui.gradChart.querySelector('canvas')!;
  gradCanvas.addEventListener('pointermove', showGradCell);
  gradCanvas.addEventListener('pointerdown', showGradCell);
  let resize = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(resize);
    resize = requestAnimationFrame(drawCharts);
  });
}

/** Shows the backend in use and, on wasm, the threads its kernels run on. */
function showBackend(note: string): void {
  const name = tf.getBackend();
  ui.backend.dataset.active = name;
  ui.backendNote.textContent = [note, threadsRefused].filter(Boolean).join('; ');
  showThreads();
}

/** The wasm backend's threads (shown while it is in use), and the kernels split across them so far. */
function showThreads(): void {
  const { threads, jobs } = wasmThreads();
  ui.threadsField.hidden = tf.getBackend() !== 'wasm';
  ui.wasmThreads.value = String(threads);
  ui.wasmThreads.dataset.jobs = String(jobs);
}

/** Why the page's `?threads=` was not used, if it was not. */
let threadsRefused: string | null = null;

function fatal(e: unknown): void {
  setStatus(`error: ${(e as Error).message}`);
  ui.status.dataset.state = 'failed';
  console.error(e);
}

/** Greys out the WebGPU option, saying why, where the browser has no adapter. */
async function offerWebGPU(): Promise<void> {
  const missing = await webgpuMissing();
  const option = ui.backend.querySelector<HTMLOptionElement>('option[value=webgpu]')!;
  option.disabled = missing != null;
  option.textContent = missing == null ? 'webgpu' : 'webgpu (not available here)';
  option.title = missing ?? '';
}

async function start(): Promise<void> {
  wire();
  await offerWebGPU();
  const params = new URLSearchParams(location.search);
  // Before the wasm backend first starts: on every core, or on ?threads=N.
  const threads = params.get('threads');
  const refused = await startWasmThreads(threads === null ? undefined : Number(threads));
  if (refused != null) threadsRefused = `?threads=${threads} ignored (${refused})`;
  const wanted = params.get('backend');
  const backend = await chooseBackend(isBackend(wanted) ? wanted : BACKENDS[0]);
  ui.backend.value = backend.name;
  showBackend(backend.note);
  const [sample] = await Promise.all([loadSample(), rebuild()]);
  state.sample = sample;
  showRecipe();
  updateControls();
  await showPredictions();
  setStatus(
    state.untrainable ??
      `${sample.train.count.toLocaleString('en-US')} training and ${sample.test.count.toLocaleString('en-US')} test ` +
        `images loaded: press Train`,
  );
  document.body.dataset.ready = 'true';
}

void start().catch(fatal);
