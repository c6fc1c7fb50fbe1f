#!/usr/bin/env node
// The keras.applications table of docs/keras.md, from the reports `KERAS_APPS_REPORT=FILE` makes
// src/keras/keras_apps.test.ts write: `node test/keras/apps_table.mjs REPORT.json ...`.
// One row per model: the worst relative difference of each check (predict .keras / .h5, one SGD step,
// Keras predicting the files tfjs-skip saved back), the .keras load time and the process's RSS after it.
import { readFileSync } from 'node:fs';

const rows = new Map();
for (const file of process.argv.slice(2)) {
  for (const r of JSON.parse(readFileSync(file, 'utf8'))) {
    const row = rows.get(r.name) ?? {};
    const ext = r.file?.endsWith('.h5') ? 'h5' : 'keras';
    if (r.check === 'predict') {
      row[`predict_${ext}`] = r.worst;
      if (ext === 'keras') Object.assign(row, { load: r.loadSeconds, rss: r.rss });
    } else if (r.check === 'train') row.train = r.worst;
    else if (r.check === 'saved-back') row[`back_${ext}`] = r.worst;
    rows.set(r.name, row);
  }
}
const fmt = (v) => (v === undefined ? 'fail' : v.toExponential(1));
console.log(
  '| model | load .keras / .h5 (worst rel. diff) | one SGD step (worst / tolerance) | saved back .keras / .h5 ' +
    '| load time | RSS after load |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
const load = (r) => (r.load === undefined ? '-' : `${r.load.toFixed(1)} s`);
const rss = (r) => (r.rss === undefined ? '-' : `${(r.rss / 2 ** 20).toFixed(0)} MiB`);
for (const [name, r] of rows) {
  const back = `${fmt(r.back_keras)} / ${fmt(r.back_h5)}`;
  console.log(
    `| ${name} | ${fmt(r.predict_keras)} / ${fmt(r.predict_h5)} | ${fmt(r.train)} | ${back} | ${load(r)} | ${rss(r)} |`,
  );
}
