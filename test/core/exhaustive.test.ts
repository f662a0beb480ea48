/**
 * Exhaustive small scope (design §8): every history of two regions, two writer instances
 * each (clocks 300 ms apart), of up to seven events among client writes (increments in
 * both regions, an assignment, a delete), replication deliveries (last writer wins) and
 * resolver runs, through the real core; states reached twice are checked once; every
 * distinct state judged by the truth the model tracks. Resolvers compact at every chance,
 * so floors rise as often as they can. Depth 6 always completes; depth 7 as far as the time
 * budget allows. The report is printed.
 */
import exampleRules from '../../rules/example';
import { checkExhaustively } from '../../shared/laws/exhaustive';
import { describeStep } from '../../shared/laws/world';
import type { Change } from '../../shared/write/change';
import { keyOf } from '../helpers/items';
import { exploring } from '../helpers/properties';

const REGIONS = ['us-east-1', 'eu-west-1'];
const INCREMENT: Change = { type: 'update', increment: { onHand: 1 } };

describe('exhaustive check of small histories', () => {
  it('finds no history of up to 6 events (7 as far as the budget allows) that loses a write or claims one it does not hold', () => {
    // Act
    const report = checkExhaustively({
      rules: exampleRules,
      key: keyOf('STOCK#1'),
      regions: REGIONS,
      writersPerRegion: 2,
      skewsMs: [0, 300, -300, 0],
      writes: [
        { region: 0, writer: 0, change: INCREMENT },
        { region: 0, writer: 1, change: { type: 'update', set: { location: { S: 'A' } } } },
        { region: 1, writer: 0, change: INCREMENT },
        { region: 1, writer: 1, change: { type: 'delete' } },
      ],
      depth: exploring ? 8 : 7,
      stepMs: 1000,
      compactAt: 1,
      budgetMs: exploring ? 20 * 60_000 : 40_000,
    });
    console.log(`exhaustive check: every history of ${report.depthReached} events checked (${report.statesChecked} distinct states, ${report.historiesBuilt} histories built)`);

    // Assess
    if (report.failure !== undefined) {
      const { history, violations } = report.failure;
      throw new Error(`${violations.map((v) => `${v.invariant}: ${v.detail}`).join('\n')}\nhistory:\n${history.map((s, i) => `  ${i + 1}. ${describeStep(s, REGIONS)}`).join('\n')}`);
    }
    expect(report.depthReached).toBeGreaterThanOrEqual(6);
  }, 120_000);
});
