/** A chart in a report: an SVG with a heading and a sentence saying what to look for. */
export interface ReportChart {
  readonly title: string;
  readonly svg: string;
  readonly caption: string;
}

/** A table in a report. */
export interface ReportTable {
  readonly head: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

/** The content of a `report.html`. */
export interface Report {
  readonly title: string;
  /** Lines under the title: command, data, backend, ... */
  readonly facts: ReadonlyArray<readonly [string, string]>;
  readonly tables: readonly ReportTable[];
  readonly charts: readonly ReportChart[];
}

/**
 * A self-contained HTML page: the charts are inline SVG, with no script,
 * stylesheet or font to fetch, so the file opens anywhere, offline.
 */
export function reportHtml(report: Report): string {
  const facts = report.facts.map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`).join('\n');
  const tables = report.tables.map(tableHtml).join('\n');
  const charts = report.charts
    .map(
      (c) =>
        `<figure>\n<h2>${escape(c.title)}</h2>\n${c.svg}\n<figcaption>${escape(c.caption)}</figcaption>\n</figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escape(report.title)}</title>
<style>
body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { text-align: left; padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 2em 0; }
figcaption { color: #555; max-width: 640px; }
</style>
</head>
<body>
<h1>${escape(report.title)}</h1>
<table>
${facts}
</table>
${tables}
${charts}
</body>
</html>
`;
}

function tableHtml(table: ReportTable): string {
  const head = table.head.map((h) => `<th>${escape(h)}</th>`).join('');
  const rows = table.rows.map(
    (r) => `<tr>${r.map((c) => `<td${/^[-\d.,%]+$/.test(c) ? ' class="num"' : ''}>${escape(c)}</td>`).join('')}</tr>`,
  );
  return `<table>\n<tr>${head}</tr>\n${rows.join('\n')}\n</table>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
