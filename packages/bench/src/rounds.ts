import type { Measurement } from './cases.js';

/** What identifies a row across rounds: engine, model, task, threads and batch. */
export function rowKey(m: Pick<Measurement, 'engine' | 'model' | 'task' | 'threads' | 'batch'>): string {
  return `${m.engine} ${m.model} ${m.task} ${m.threads} ${m.batch}`;
}

/**
 * One row from the same case measured in several rounds (`--rounds`, the
 * whole list of cases run again in the same order, so that a slow spell of a
 * shared machine falls on every engine's rows alike): the round whose median
 * ms per batch is the median of the rounds' (the lower middle one for an
 * even count), its note saying every round's.
 */
export function medianRound(rounds: readonly Measurement[]): Measurement {
  if (rounds.length === 0) throw new Error('medianRound() of no measurements');
  const keys = new Set(rounds.map(rowKey));
  if (keys.size > 1) throw new Error(`medianRound() of different rows: ${[...keys].join('; ')}`);
  if (rounds.length === 1) return rounds[0]!;
  const sorted = [...rounds].sort((a, b) => a.msPerBatch - b.msPerBatch);
  const chosen = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const each = rounds.map((m) => m.msPerBatch.toFixed(1)).join(' / ');
  const note = `median of ${rounds.length} rounds (${each} ms)`;
  return { ...chosen, note: chosen.note ? `${chosen.note}; ${note}` : note };
}
