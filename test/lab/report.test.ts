/**
 * The lab report's layout, on a small real run of both modes: it fits a 1,400-pixel-wide
 * window (nothing preformatted or unbreakable forces a sideways scroll), every chart has
 * both axes labelled and a one-sentence caption, counts read as lists, and the resolution
 * lag is explained. (Checked by eye in headless Chromium at 1,400 px; these are the
 * properties that made it fit.)
 */
import { renderReport } from '../../lab/report';
import { runScenario } from '../../lab/run';
import { RunMode, scenarioWith } from '../../lab/scenario';

const SMALL = scenarioWith({ operations: 120, keysPerWorkload: 3, seed: 5, faults: 'on' });
const LONGEST_UNWRAPPED_LINE = 100;

let html: string;

// Prepare and Act: one small run in each mode, one report; the tests assess it.
beforeAll(async () => {
  const [lww, concord] = [await runScenario(SMALL, RunMode.Lww), await runScenario(SMALL, RunMode.Concord)];
  html = renderReport({ scenario: SMALL, lww, concord });
});

/** The text of every element `<tag ...>…</tag>` of the page, tags inside removed. */
function textsOf(tag: string, source = html): string[] {
  return [...source.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => (match[1] ?? '').replace(/<[^>]+>/g, ''));
}

const charts = (): string[] => [...html.matchAll(/<svg\b[^>]*class="chart"[\s\S]*?<\/svg>/g)].map((match) => match[0]);

/** The axis labels of a chart. */
const axisLabels = (chart: string): string[] => [...chart.matchAll(/<text\b[^>]*class="axis-label[^"]*"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1] ?? '');

describe('the lab report', () => {
  it('holds no preformatted line longer than 100 characters', () => {
    const lines = textsOf('pre').flatMap((text) => text.split('\n'));
    expect(lines.filter((line) => line.length > LONGEST_UNWRAPPED_LINE)).toEqual([]);
  });

  it('lets long values break inside table cells, in a page at most 1,360 pixels wide', () => {
    expect({
      cells: /td,th\{[^}]*overflow-wrap:break-word/.test(html),
      code: /code\{[^}]*overflow-wrap:anywhere/.test(html),
      width: Number(/body\{[^}]*max-width:(\d+)px/.exec(html)?.[1]) <= 1360,
    }).toEqual({ cells: true, code: true, width: true });
  });

  it('shows no raw JSON object in a table cell: counts by name are lists, empty ones "none"', () => {
    expect({ raw: /<td>\s*\{/.test(html), none: html.includes('<span class="none">none</span>') }).toEqual({ raw: false, none: true });
  });

  it('labels both axes of every chart', () => {
    const unlabelled = charts().filter((chart) => axisLabels(chart).filter((label) => label.trim() !== '').length !== 2);
    expect({ charts: charts().length >= 5, unlabelled }).toEqual({ charts: true, unlabelled: [] });
  });

  it('gives the unit of every time axis and every rate', () => {
    const labels = charts().flatMap(axisLabels);
    const unitless = labels.filter((label) => /time/.test(label) !== /\(s\)/.test(label) || (/ per /.test(label) && !/ per \d+ ms$/.test(label)));
    expect(unitless).toEqual([]);
  });

  it('explains every chart in one sentence under it', () => {
    const figures = textsOf('figure');
    const captions = textsOf('figcaption');
    const sentences = captions.map((caption) => caption.split(/[.!?]\s+(?=[A-Z])/).length);
    expect({ everyChart: figures.length === charts().length, sentences: sentences.every((count) => count === 1), ended: captions.every((caption) => caption.endsWith('.')) }).toEqual({
      everyChart: true,
      sentences: true,
      ended: true,
    });
  });

  it('gives the resolution lag as a mean and a maximum per conflict, and says what it measures', () => {
    expect({
      value: /ResolutionLagMs<\/th><td>mean \d+ ms, max \d+ ms, over \d+ conflicts<\/td>/.test(html),
      meaning: html.includes("time from a conflicting record's creation"),
    }).toEqual({ value: true, meaning: true });
  });
});
