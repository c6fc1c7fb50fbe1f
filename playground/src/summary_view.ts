import type * as tf from '@tensorflow/tfjs';
import { summaryRows } from 'tfjs-skip';

const count = (n: number) => n.toLocaleString('en-US');

function paramsOf(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 0), 1), 0);
}

/**
 * The expanded summary of `model` (`summaryRows(model, {expandNested: true})`)
 * as a table: one row per layer, the layers inside each SkipConnection
 * indented under it and tagged with their path, then the totals.
 */
export function renderSummary(target: HTMLElement, model: tf.LayersModel, note?: string): void {
  const rows = summaryRows(model, { expandNested: true });
  const table = document.createElement('table');
  table.className = 'summary';
  const caption = table.createCaption();
  caption.textContent = `Model "${model.name}"${note ? ` (${note})` : ''}`;
  const head = table.createTHead().insertRow();
  for (const title of ['Layer (type)', 'Output shape', 'Params']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    tr.className = `depth-${Math.min(r.depth, 4)}${r.className === 'SkipConnection' ? ' skip' : ''}`;
    const name = tr.insertCell();
    name.style.paddingLeft = `${0.4 + 1.1 * r.depth}rem`;
    if (r.path) {
      const tag = document.createElement('span');
      tag.className = `path path-${r.path}`;
      tag.textContent = r.path;
      name.append(tag, ' ');
    }
    name.append(r.name);
    if (r.className) {
      const type = document.createElement('span');
      type.className = 'type';
      type.textContent = ` (${r.className})`;
      name.append(type);
    }
    tr.insertCell().textContent = r.outputShape;
    const params = tr.insertCell();
    params.className = 'num';
    params.textContent = count(r.params);
  }
  const trainable = paramsOf(model.trainableWeights);
  const frozen = paramsOf(model.nonTrainableWeights);
  const foot = table.createTFoot();
  for (const [label, value] of [
    ['Total params', trainable + frozen],
    ['Trainable', trainable],
    ['Non-trainable', frozen],
  ] as const) {
    const tr = foot.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.colSpan = 2;
    th.textContent = label;
    tr.append(th);
    const td = tr.insertCell();
    td.className = 'num';
    td.textContent = count(value);
  }
  target.dataset.totalParams = String(trainable + frozen);
  target.replaceChildren(table);
}
