/**
 * `concord escalations` and `concord resolve`, run as processes against the local stack
 * and the real resolver: a conflict the resolver escalates is listed from the central
 * audit log group and from a table scan; an operator settles it by a write over every
 * sibling, audited as ConflictResolved naming them; then nothing is listed.
 */
import type { EventBridgeEvent } from '../../local';
import { startResolverHarness, type ResolverHarness } from '../helpers/resolver-harness';
import { conflictRecord, itemKey, streamEvent } from '../helpers/resolver-records';
import { notesConflict, oversoldStock } from '../helpers/cli-items';
import { jsonOf, runConcord } from '../helpers/cli';
import type { EscalationReport } from '../../cli/operations/escalations/open-escalations';

describe('concord escalations and concord resolve', () => {
  let harness: ResolverHarness;
  const concord = (...args: string[]) => runConcord(args, { env: harness.stack.env });
  const centralEvents = (type: string): EventBridgeEvent[] => harness.stack.logs.events(harness.stack.env.CONCORD_AUDIT_LOG_GROUP as string).map((event) => JSON.parse(event.message) as EventBridgeEvent).filter((event) => event['detail-type'] === type);

  // Prepare: the resolver escalates a conflict on ORDER#7's manual notes; STOCK#7 was oversold.
  beforeAll(async () => {
    // The resolver's clock is the real one: the commands look back from now (--since).
    harness = await startResolverHarness({ deps: { now: () => Date.now() } });
    const conflict = notesConflict('ORDER#7');
    await harness.seed(conflict.remote, oversoldStock('STOCK#7'));
    await harness.invoke(streamEvent(conflictRecord(conflict, 1)));
  });

  afterAll(async () => {
    await harness.close();
  });

  it('lists the escalated item from the central audit log group, with its siblings (exit status 1)', async () => {
    // Act
    const run = await concord('escalations', '--json');

    // Assess
    const report = jsonOf<EscalationReport>(run);
    expect({ code: run.code, open: report.open.map(({ key, escalations, siblings }) => ({ key, escalations, siblings })) }).toEqual({
      code: 1,
      open: [{ key: { pk: 'ORDER#7', sk: 'ORDER' }, escalations: [{ reason: 'manual', subject: 'notes' }], siblings: { notes: 2 } }],
    });
    expect(report.open[0]?.conflictIds).toEqual(centralEvents('ConflictEscalated').map((event) => event.detail.conflictId));
  });

  it('finds every open escalation with --scan, invariants included', async () => {
    // Act
    const run = await concord('escalations', '--scan', '--segments', '2');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/2 open escalations/);
    expect(run.stdout).toMatch(/"ORDER#7".*notes: 2 siblings/);
    expect(run.stdout).toMatch(/"STOCK#7".*invariant onHand >= 0/);
  });

  it('refuses to resolve an attribute that is not escalated, saying which are (exit status 1)', async () => {
    // Act
    const run = await concord('resolve', 'ORDER#7', 'ORDER', '--attribute', 'status', '--pick', 'SHIPPED');

    // Assess
    expect({ code: run.code, said: run.stderr.includes("this attribute is not escalated; the item's escalations are manual notes") }).toEqual({ code: 1, said: true });
  });

  it('settles siblings with the one picked, by a write that has seen them all, audited with the operator', async () => {
    // Act
    const run = await concord('resolve', 'ORDER#7', 'ORDER', '--attribute', 'notes', '--pick', '#2', '--operator', 'ana', '--json');

    // Assess
    const result = jsonOf<{ replaced: string[]; item: { values: Record<string, unknown>; attributes: Record<string, { writes: unknown[] }> } }>(run);
    const stored = await harness.item(itemKey('ORDER#7', 'ORDER'));
    const [resolved] = centralEvents('ConflictResolved');
    expect({ code: run.code, replaced: result.replaced.length, notes: stored?.notes, writes: result.item.attributes.notes?.writes.length }).toEqual({ code: 0, replaced: 2, notes: { S: 'Call on arrival' }, writes: 1 });
    expect(resolved?.detail).toMatchObject({ outcome: 'resolved', key: { pk: 'ORDER#7', sk: 'ORDER' }, reason: { resolvedBy: 'operator', operator: 'ana', attribute: 'notes', picked: { sibling: result.replaced[1] } } });
  });

  it('settles a violated invariant by a value for the attribute', async () => {
    // Act
    const run = await concord('resolve', 'STOCK#7', 'STOCK', '--attribute', 'onHand', '--pick', '0', '--operator', 'ana');

    // Assess
    expect({ code: run.code, onHand: (await harness.item(itemKey('STOCK#7', 'STOCK')))?.onHand }).toEqual({ code: 0, onHand: { N: '0' } });
  });

  it('lists nothing once settled, counting what was settled since (exit status 0)', async () => {
    // Act
    const run = await concord('escalations');

    // Assess
    expect({ code: run.code, line: run.stdout.split('\n')[0] }).toEqual({ code: 0, line: '0 open escalations (1 item(s) examined from log group /aws/events/concord-audit-dev (us-east-1), 1 settled since)' });
  });
});
