import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { formatCount } from './model';

/**
 * The chart of npm run cost: monthly total against MAU, one line per feature plan, drawn by
 * Vega-Lite and rendered to SVG by Vega in Node (no browser, no canvas: text widths are
 * estimated, which is plenty for axis labels). Vega and Vega-Lite are ES modules only, so
 * they are imported when a chart is drawn, never by the arithmetic or its tests.
 */

export interface ChartPoint {
  mau: number;
  plan: string;
  total: number;
}

export async function writeChart(
  file: string,
  points: ChartPoint[],
  marked: { mau: number; caption: string },
): Promise<void> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Monthly cost of the stacks against monthly active users',
      subtitle: marked.caption,
    },
    width: 560,
    height: 320,
    layer: [
      {
        // A log scale has no zero: a month the free tiers cover entirely is left out.
        data: { values: points.filter((point) => point.total > 0) },
        mark: { type: 'line', point: true },
        encoding: {
          x: {
            field: 'mau',
            type: 'quantitative',
            scale: { type: 'log', nice: false },
            axis: { title: 'MAU', format: '~s' },
          },
          y: {
            field: 'total',
            type: 'quantitative',
            // Totals run from cents to tens of thousands of dollars.
            scale: { type: 'log' },
            axis: { title: 'USD per month', format: '$,~r' },
          },
          color: { field: 'plan', type: 'nominal', title: 'feature plan' },
        },
      },
      {
        data: { values: [{ mau: marked.mau, label: `${formatCount(marked.mau)} MAU` }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { x: { field: 'mau', type: 'quantitative' } },
      },
    ],
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, svg);
}
