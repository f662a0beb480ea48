/**
 * Inline SVG charts for the lab's report: a line chart over time buckets and a grouped
 * bar chart, each with both axes labelled. Plain strings, no library and nothing
 * fetched: the report is one file.
 */

/** One line or one group of bars. */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
  /** Drawn dashed, so that a line lying on top of another still shows. */
  readonly dashed?: boolean;
}

/** What both axes of a chart measure, units included. */
export interface AxisLabels {
  /** Below the x axis, e.g. `virtual time since the first write (s)`. */
  readonly xLabel: string;
  /** Along the y axis, e.g. `client writes per 100 ms`. */
  readonly yLabel: string;
}

const WIDTH = 640;
const HEIGHT = 250;
const MARGIN = { top: 28, right: 16, bottom: 62, left: 58 } as const;
const PLOT_BOTTOM = HEIGHT - MARGIN.bottom;

/**
 * Escapes text for HTML and SVG.
 *
 * @example
 * escapeHtml('<a & b>'); // '&lt;a &amp; b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const TICKS = 4;

/** The top of an axis at least `max`, with {@link TICKS} steps of 1, 2 or 5 times a power of ten. */
function niceMax(max: number): number {
  const wanted = Math.max(max, 1) / TICKS;
  const power = 10 ** Math.floor(Math.log10(wanted));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= wanted) as number;
  return Math.max(TICKS, step * TICKS);
}

function frame(title: string, axes: AxisLabels, body: string, legend: readonly Series[]): string {
  const items = legend
    .map((series, index) => {
      const swatch = series.dashed === true ? `<line x2="14" y1="-4" y2="-4" stroke="${series.color}" stroke-width="2" stroke-dasharray="5 3"/>` : `<rect width="10" height="10" y="-9" fill="${series.color}"/>`;
      return `<g transform="translate(${MARGIN.left + index * 150},${HEIGHT - 8})">${swatch}<text x="18">${escapeHtml(series.name)}</text></g>`;
    })
    .join('');
  const plotMiddleX = MARGIN.left + (WIDTH - MARGIN.left - MARGIN.right) / 2;
  const plotMiddleY = MARGIN.top + (PLOT_BOTTOM - MARGIN.top) / 2;
  const labels =
    `<text x="${plotMiddleX}" y="${PLOT_BOTTOM + 32}" text-anchor="middle" class="axis-label x-axis-label">${escapeHtml(axes.xLabel)}</text>` +
    `<text transform="translate(14,${plotMiddleY}) rotate(-90)" text-anchor="middle" class="axis-label y-axis-label">${escapeHtml(axes.yLabel)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}" class="chart"><text x="${MARGIN.left}" y="16" class="title">${escapeHtml(title)}</text>${body}${labels}${items}</svg>`;
}

function yAxis(top: number): string {
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = Array.from({ length: TICKS + 1 }, (_, index) => {
    const y = MARGIN.top + plotHeight * (1 - index / TICKS);
    return `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" class="grid"/><text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${(top * index) / TICKS}</text>`;
  });
  return ticks.join('');
}

/** Options of {@link lineChart}. */
export interface LineChartOptions extends AxisLabels {
  readonly title: string;
  readonly series: readonly Series[];
  /** Label of each bucket on the x axis (every few are shown). */
  readonly xLabels: readonly string[];
  /** A vertical marker at a bucket (e.g. the last client write). */
  readonly marker?: { readonly at: number; readonly label: string };
}

/**
 * A line chart of series over the same buckets.
 *
 * @example
 * lineChart({ title: 'Writes per region', series: [{ name: 'us-east-1', color: '#1f77b4', values: [3, 5, 2] }], xLabels: ['0', '1', '2'], xLabel: 'time (s)', yLabel: 'writes per second' });
 */
export function lineChart(options: LineChartOptions): string {
  const buckets = Math.max(1, ...options.series.map((series) => series.values.length));
  const top = niceMax(Math.max(0, ...options.series.flatMap((series) => series.values)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (index: number): number => MARGIN.left + (buckets === 1 ? plotWidth / 2 : (plotWidth * index) / (buckets - 1));
  const y = (value: number): number => MARGIN.top + plotHeight * (1 - value / top);
  const lines = options.series
    .map((series) => `<polyline fill="none" stroke="${series.color}" stroke-width="2"${series.dashed === true ? ' stroke-dasharray="6 4"' : ''} points="${series.values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ')}"><title>${escapeHtml(series.name)}</title></polyline>`)
    .join('');
  const every = Math.max(1, Math.ceil(options.xLabels.length / 8));
  const labels = options.xLabels
    .map((label, index) => (index % every === 0 ? `<text x="${x(index).toFixed(1)}" y="${PLOT_BOTTOM + 16}" text-anchor="middle">${escapeHtml(label)}</text>` : ''))
    .join('');
  let marker = '';
  if (options.marker !== undefined) {
    const at = x(options.marker.at);
    // Near the right edge the label goes on the line's left, where it has room.
    const label = at > MARGIN.left + plotWidth * 0.7 ? `x="${at - 4}" text-anchor="end"` : `x="${at + 4}"`;
    marker = `<line x1="${at}" x2="${at}" y1="${MARGIN.top}" y2="${PLOT_BOTTOM}" class="marker"/><text ${label} y="${MARGIN.top + 10}" class="marker-label">${escapeHtml(options.marker.label)}</text>`;
  }
  return frame(options.title, options, `${yAxis(top)}${lines}${labels}${marker}`, options.series);
}

/** Options of {@link groupedBarChart}. */
export interface BarChartOptions extends AxisLabels {
  readonly title: string;
  readonly categories: readonly string[];
  /** One series per group member, one value per category. */
  readonly series: readonly Series[];
}

/**
 * Bars per category, one per series, side by side.
 *
 * @example
 * groupedBarChart({ title: 'Lost updates by rule', categories: ['counter', 'lww'], series: [{ name: 'LWW', color: '#c62828', values: [17, 7] }], xLabel: 'rule', yLabel: 'lost updates' });
 */
export function groupedBarChart(options: BarChartOptions): string {
  const categories = options.categories.length === 0 ? ['(none)'] : options.categories;
  const top = niceMax(Math.max(0, ...options.series.flatMap((series) => series.values)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = plotWidth / categories.length;
  const barWidth = (slot * 0.8) / Math.max(1, options.series.length);
  const bars = categories
    .map((category, index) => {
      const left = MARGIN.left + slot * index + slot * 0.1;
      const group = options.series
        .map((series, member) => {
          const value = series.values[index] ?? 0;
          const height = (plotHeight * value) / top;
          const barX = left + member * barWidth;
          return `<rect x="${barX.toFixed(1)}" y="${(MARGIN.top + plotHeight - height).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${height.toFixed(1)}" fill="${series.color}"><title>${escapeHtml(`${series.name}, ${category}: ${value}`)}</title></rect><text x="${(barX + barWidth / 2).toFixed(1)}" y="${(MARGIN.top + plotHeight - height - 3).toFixed(1)}" text-anchor="middle" class="value">${value}</text>`;
        })
        .join('');
      return `${group}<text x="${(MARGIN.left + slot * (index + 0.5)).toFixed(1)}" y="${PLOT_BOTTOM + 16}" text-anchor="middle">${escapeHtml(category)}</text>`;
    })
    .join('');
  return frame(options.title, options, `${yAxis(top)}${bars}`, options.series);
}
