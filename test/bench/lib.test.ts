import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barChartSpec, renderSvg } from '../../bench/lib/chart.js';
import { mdTable, textTable } from '../../bench/lib/markdown.js';
import { seededRandom } from '../../bench/lib/prng.js';
import { median, percentile, ratio } from '../../bench/lib/stats.js';

test('seeded PRNG: same seed, same sequence; ints stay in range', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 50 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 50 }, () => b.next())
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const r = seededRandom(1);
  for (let i = 0; i < 200; i++) {
    const n = r.int(2, 5);
    assert.ok(n >= 2 && n <= 5 && Number.isInteger(n));
  }
  assert.notDeepEqual(
    Array.from({ length: 5 }, () => seededRandom(1).next()),
    Array.from({ length: 5 }, () => seededRandom(2).next())
  );
});

test('stats: median, percentile, ratio', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9);
  assert.equal(ratio(6, 3), 2);
  assert.ok(Number.isNaN(ratio(1, 0)));
});

test('markdown tables escape pipes; text tables pad columns', () => {
  const t = mdTable(['a', 'b'], [['x|y', 2]], ['l', 'r']);
  assert.equal(t, '| a | b |\n| --- | ---: |\n| x\\|y | 2 |');
  assert.equal(textTable(['n', 'v'], [['long', 1]]).split('\n')[0], 'n     v');
});

test('charts: a vega-lite bar chart renders to SVG headlessly', async () => {
  const svg = await renderSvg(
    barChartSpec('t', 'x', [
      { label: 'a', value: 1 },
      { label: 'b', value: Number.NaN },
    ])
  );
  assert.match(svg, /^<svg/);
  assert.match(svg, /<\/svg>$/);
});
