/**
 * Shadow rules in the resolver (CONCORD_SHADOW_RULES): candidate rules run beside the
 * real ones on every conflict; a conflict they would settle differently is published as
 * a ShadowDifference event, and the real resolution stands.
 */
import { join } from 'node:path';
import candidateRules from '../helpers/cli-rules-candidate';
import { loadShadowRules } from '../../shared/resolver';
import { notesConflict } from '../helpers/cli-items';
import { harnessPerTest } from '../helpers/resolver-harness';
import { conflictRecord, itemKey, stockConflict, streamEvent, Writers } from '../helpers/resolver-records';

const start = harnessPerTest();

describe('the resolver with shadow rules', () => {
  it('publishes what the candidate rules would change beside the real resolution, which stands', async () => {
    // Prepare
    const harness = await start({ deps: { shadowRules: candidateRules } });
    const conflict = notesConflict('ORDER#1');
    await harness.seed(conflict.remote);

    // Act
    await harness.invoke(streamEvent(conflictRecord(conflict, 1)));

    // Assess
    const [real, shadow] = harness.auditEvents();
    expect([real?.['detail-type'], shadow?.['detail-type']]).toEqual(['ConflictEscalated', 'ShadowDifference']);
    expect(shadow?.detail).toMatchObject({ outcome: 'shadowDifference', entity: 'order', reason: { conflictId: real?.detail.conflictId, attributes: [], escalations: { current: ['manual notes'], candidate: [] } } });
    expect(shadow?.detail.conflictId).not.toBe(real?.detail.conflictId);
    expect((await harness.item(itemKey('ORDER#1', 'ORDER')))?.notes).toEqual({ S: 'Call on arrival' });
  });

  it('publishes nothing more for a conflict the candidate rules settle alike', async () => {
    // Prepare
    const harness = await start({ deps: { shadowRules: candidateRules } });
    const conflict = stockConflict(new Writers());
    await harness.seed(conflict.remote);

    // Act
    await harness.invoke(streamEvent(conflictRecord(conflict, 1)));

    // Assess
    expect(harness.auditEvents().map((event) => event['detail-type'])).toEqual(['ConflictResolved']);
  });
});

describe('loadShadowRules', () => {
  it('loads the module CONCORD_SHADOW_RULES names, and nothing when it is unset', () => {
    // Act
    const loaded = loadShadowRules({ CONCORD_SHADOW_RULES: join(__dirname, '..', 'helpers', 'cli-rules-candidate.ts') });

    // Assess
    expect({ loaded: loaded?.spec.entities.order?.attributes?.notes, unset: loadShadowRules({}) }).toEqual({ loaded: 'lww', unset: undefined });
  });

  it('names CONCORD_SHADOW_RULES when its module cannot be loaded', () => {
    // Act
    const load = () => loadShadowRules({ CONCORD_SHADOW_RULES: './no-such-rules.js' });

    // Assess
    expect(load).toThrow('invalid configuration: CONCORD_SHADOW_RULES names a module that could not be loaded');
  });
});
