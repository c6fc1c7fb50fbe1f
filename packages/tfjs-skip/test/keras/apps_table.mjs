#!/usr/bin/env node
// The keras.applications table of docs/keras.md, from the reports `KERAS_APPS_REPORT=FILE` makes
// src/keras/keras_apps.test.ts write, or the results run-apps.mjs writes (`{report: [...]}`):
// `node test/keras/apps_table.mjs REPORT.json ...`.
// One row per model: the worst relative difference of each check (predict .keras / .h5, one SGD step,
// Keras predicting the files tfjs-skip saved back), the .keras load time, the process's RSS after it
// and its peak RSS so far. A check refereed in float64 (test/keras/referee.ts) shows beside it
// how far TF.js and Keras's float32 each land from Keras's float64: `[float64: TF.js vs Keras]`, and for a
// step whose loss was refereed, the two losses' relative distance from the float64 step's: `[loss from float64: ...]`.
// An ill-conditioned net's predictions (keras_apps.test.ts's ILL_CONDITIONED) show their layer-by-layer
// check: `[layer by layer: WORST (LAYER)]`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The table's lines, from the records of one or more reports. */
export function appsTable(records) {
  const rows = new Map();
  for (const r of records) {
    const row = rows.get(r.name) ?? {};
    const ext = r.file?.endsWith('.h5') ? 'h5' : 'keras';
    if (r.check === 'predict') {
      row[`predict_${ext}`] = r.worst;
      // Held to the output's scale (KNOWN_GAPS' predictScale): that figure beside the relative one.
      if (r.ofScale !== undefined) row.ofScale = r.ofScale;
      if (r.float64 !== undefined) row.predict64 = r.float64;
      if (r.layerwise !== undefined) row.layerwise = r.layerwise;
      if (ext === 'keras') Object.assign(row, { load: r.loadSeconds, rss: r.rss, peakRss: r.peakRss });
    } else if (r.check === 'train')
      Object.assign(row, { train: r.worst, train64: r.float64, loss64: r.loss64, lossLayerwise: r.lossLayerwise });
    else if (r.check === 'saved-back') row[`back_${ext}`] = r.worst;
    rows.set(r.name, row);
  }
  const fmt = (v) => (v === undefined ? 'fail' : v.toExponential(1));
  const scaled = (r) => (r.ofScale === undefined ? '' : ` (${r.ofScale.toExponential(1)} of scale)`);
  /** The float64 referee's figures: relative, and for predictions by the output's scale too. */
  const refereed = (f) => {
    if (f === undefined) return '';
    const scale = f.tfjsScale === undefined ? '' : `; of scale ${fmt(f.tfjsScale)} vs ${fmt(f.kerasScale)}`;
    return ` [float64: ${fmt(f.tfjs)} vs ${fmt(f.keras)}${scale}]`;
  };
  /** The step's loss refereed in float64: how far TF.js's and Keras's float32 losses land from its. */
  const refereedLoss = (f) => (f === undefined ? '' : ` [loss from float64: ${fmt(f.tfjs)} vs ${fmt(f.keras)}]`);
  /** An ill-conditioned net's predictions, held layer by layer: the worst layer's difference by its scale. */
  const layerwise = (l) => (l === undefined ? '' : ` [layer by layer: ${fmt(l.worst)} (${l.layer})]`);
  const load = (r) => (r.load === undefined ? '-' : `${r.load.toFixed(1)} s`);
  const mib = (bytes) => (bytes === undefined ? '-' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
  const lines = [
    '| model | load .keras / .h5 (worst rel. diff) | one SGD step (worst / tolerance) | saved back .keras / .h5 ' +
      '| load time | RSS after load | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, r] of rows) {
    const back = `${fmt(r.back_keras)} / ${fmt(r.back_h5)}`;
    const predict =
      `${fmt(r.predict_keras)} / ${fmt(r.predict_h5)}` + scaled(r) + refereed(r.predict64) + layerwise(r.layerwise);
    const train = fmt(r.train) + refereed(r.train64) + refereedLoss(r.loss64) + layerwise(r.lossLayerwise);
    lines.push(`| ${name} | ${predict} | ${train} | ${back} | ${load(r)} | ${mib(r.rss)} | ${mib(r.peakRss)} |`);
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const records = process.argv.slice(2).flatMap((file) => {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? parsed : parsed.report;
  });
  console.log(appsTable(records).join('\n'));
}
