#!/usr/bin/env node
// The keras.applications table of docs/keras.md, from the reports `KERAS_APPS_REPORT=FILE` makes
// src/keras/keras_apps.test.ts write, or the results run-apps.mjs writes (`{report: [...]}`):
// `node test/keras/apps_table.mjs REPORT.json ...`.
// One row per model: the worst relative difference of each check (predict .keras / .h5, one SGD step,
// Keras predicting the files tfjs-skip saved back), the .keras load time, the process's RSS after it
// and its peak RSS so far.
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
      if (ext === 'keras') Object.assign(row, { load: r.loadSeconds, rss: r.rss, peakRss: r.peakRss });
    } else if (r.check === 'train') row.train = r.worst;
    else if (r.check === 'saved-back') row[`back_${ext}`] = r.worst;
    rows.set(r.name, row);
  }
  const fmt = (v) => (v === undefined ? 'fail' : v.toExponential(1));
  const scaled = (r) => (r.ofScale === undefined ? '' : ` (${r.ofScale.toExponential(1)} of scale)`);
  const load = (r) => (r.load === undefined ? '-' : `${r.load.toFixed(1)} s`);
  const mib = (bytes) => (bytes === undefined ? '-' : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
  const lines = [
    '| model | load .keras / .h5 (worst rel. diff) | one SGD step (worst / tolerance) | saved back .keras / .h5 ' +
      '| load time | RSS after load | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, r] of rows) {
    const back = `${fmt(r.back_keras)} / ${fmt(r.back_h5)}`;
    lines.push(
      `| ${name} | ${fmt(r.predict_keras)} / ${fmt(r.predict_h5)}${scaled(r)} | ${fmt(r.train)} | ${back} ` +
        `| ${load(r)} ` +
        `| ${mib(r.rss)} | ${mib(r.peakRss)} |`,
    );
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
