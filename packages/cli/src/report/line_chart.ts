import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One named line of a chart. */
export interface Series {
  readonly name: string;
  /** Draw the line dashed (e.g. the plain net of a pair). */
  readonly dashed?: boolean;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** A line chart: series over a shared x axis. */
export interface LineChart {
  readonly title: string;
  readonly x: string;
  readonly y: string;
  readonly series: readonly Series[];
  /** Whole-number ticks on the x axis (epochs). */
  readonly integerX?: boolean;
  /** Logarithmic y axis (for gradient norms that span decades). */
  readonly logY?: boolean;
}

/**
 * Renders a line chart to a standalone SVG string, in Node, without a
 * browser or canvas: a Vega-Lite spec compiled to Vega and drawn by Vega's
 * headless view (`renderer: 'none'`, `toSVG()`).
 */
export async function lineChartSvg(chart: LineChart): Promise<string> {
  const values = chart.series.flatMap((s) =>
    s.points.map(([x, y]) => ({ series: s.name, dash: s.dashed ? 'dashed' : 'solid', x, y })),
  );
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: chart.title,
    width: 460,
    height: 260,
    data: { values },
    mark: { type: 'line', point: values.length <= 200 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: chart.x,
        ...(chart.integerX && { axis: { tickMinStep: 1, format: 'd' } }),
      },
      y: { field: 'y', type: 'quantitative', title: chart.y, ...(chart.logY && { scale: { type: 'log' } }) },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: chart.series.map((s) => s.name),
        legend: { labelLimit: 400 },
      },
      strokeDash: {
        field: 'dash',
        type: 'nominal',
        legend: null,
        scale: {
          domain: ['solid', 'dashed'],
          range: [
            [1, 0],
            [6, 3],
          ],
        },
      },
    },
    config: { font: 'sans-serif' },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
