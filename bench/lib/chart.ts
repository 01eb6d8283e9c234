import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Renders a Vega-Lite spec to SVG headlessly (no browser, no canvas). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface BarDatum {
  /** Category on the y axis (one bar per category, or per category × series). */
  label: string;
  value: number;
  /** Optional series (colour); bars of one label are grouped. */
  series?: string;
}

/** A horizontal bar chart spec; values that are not finite are left out. */
export function barChartSpec(
  title: string,
  xTitle: string,
  data: BarDatum[],
  opts: { width?: number; rule?: number } = {}
): Record<string, unknown> {
  const values = data
    .filter((d) => Number.isFinite(d.value))
    .map((d) => ({ ...d, value: Number(d.value.toFixed(3)) }));
  const grouped = values.some((d) => d.series !== undefined);
  const bar: Record<string, unknown> = {
    mark: { type: 'bar', tooltip: true },
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: null },
      x: { field: 'value', type: 'quantitative', title: xTitle },
      ...(grouped
        ? { color: { field: 'series', type: 'nominal', title: null }, yOffset: { field: 'series' } }
        : {}),
    },
  };
  const text = {
    mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null },
      x: { field: 'value', type: 'quantitative' },
      text: { field: 'value', type: 'quantitative', format: '.3~g' },
      ...(grouped ? { yOffset: { field: 'series' } } : {}),
    },
  };
  const layers: Record<string, unknown>[] = [bar, text];
  if (opts.rule !== undefined) {
    layers.push({
      data: { values: [{ x: opts.rule }] },
      mark: { type: 'rule', strokeDash: [4, 3], color: '#888' },
      encoding: { x: { field: 'x', type: 'quantitative' } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: opts.width ?? 420,
    background: 'white',
    data: { values },
    layer: layers,
  };
}

/** Writes a bar chart as SVG under `dir` and returns the file path. */
export async function writeBarChart(
  dir: string,
  name: string,
  title: string,
  xTitle: string,
  data: BarDatum[],
  opts?: { width?: number; rule?: number }
): Promise<string> {
  const svg = await renderSvg(barChartSpec(title, xTitle, data, opts));
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.svg`);
  await writeFile(file, svg);
  return file;
}
