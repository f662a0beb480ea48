/**
 * Lab runs that found a bug, each named after its counter-example, on the real handler.
 */
import { parseLabArgs } from '../../lab/args';
import { runScenario } from '../../lab/run';
import { RunMode } from '../../lab/scenario';
import { summarize } from '../../lab/summary';

describe('lab regressions', () => {
  it('hot key, 5 regions, resolver lag 5-15 s: a batch with more than ten audit events runs on the virtual clock and loses nothing', async () => {
    // Prepare: a lagging resolver gathers enough conflicts of one key in one batch to fill a PutEvents call
    const { scenario } = parseLabArgs(['--keys', '1', '--regions', '5', '--writers', '2', '--resolver-lag', '5000-15000', '--duration', '1m', '--ops', '400', '--seed', '1']);

    // Act
    const summary = summarize(await runScenario(scenario, RunMode.Concord));

    // Assess
    expect({ lost: summary.lostUpdates, converged: summary.converged, audit: summary.auditCoverage, quarantined: summary.quarantined }).toEqual({ lost: 0, converged: true, audit: 1, quarantined: 0 });
  });
});
