import exampleRules from '../../rules/example';
import candidateRules from '../../test/helpers/cli-rules-candidate';
import throwingRules from '../../test/helpers/cli-rules-throwing';
import fixedRules from '../../test/helpers/cli-rules-fixed';
import { concurrentWrites, itemKey, LOCAL_REGION, TABLE, Writers, type ConcurrentVersions } from '../../test/helpers/resolver-records';
import { decodeItem } from '../item/state';
import type { RuleSet } from '../rules/types';
import { compareUnderRules } from './shadow';

/** Two concurrent totals of one order: 40 in us-east-1, then 35 in eu-west-1 (the later write). */
function totals(): ConcurrentVersions {
  const total = (amount: number) => ({ type: 'update' as const, set: { total: { N: String(amount) } } });
  return concurrentWrites(new Writers(), itemKey('ORDER#1', 'ORDER'), { type: 'put', item: { status: { S: 'PAID' }, total: { N: '30' } } }, total(40), total(35));
}

function compare(versions: ConcurrentVersions, current: RuleSet, candidate: RuleSet) {
  const decode = (image: typeof versions.local) => decodeItem(image, current.table, versions.key);
  return compareUnderRules(decode(versions.local), decode(versions.remote), current, candidate, { table: TABLE, writtenIn: LOCAL_REGION });
}

describe('compareUnderRules', () => {
  it('shows what each rule set would show for every attribute, and which changed', () => {
    // Act
    const comparison = compare(totals(), exampleRules, candidateRules);

    // Assess
    expect(comparison.attributes.map(({ attribute, currentRule, candidateRule, current, candidate, changed }) => ({ attribute, currentRule, candidateRule, current, candidate, changed }))).toEqual([
      { attribute: 'status', currentRule: 'priority', candidateRule: 'priority', current: { S: 'PAID' }, candidate: { S: 'PAID' }, changed: false },
      { attribute: 'total', currentRule: 'lww', candidateRule: 'max', current: { N: '35' }, candidate: { N: '40' }, changed: true },
    ]);
    expect(comparison.changed).toBe(true);
  });

  it('says nothing changed when both rule sets settle the conflict alike', () => {
    // Act
    const comparison = compare(totals(), exampleRules, exampleRules);

    // Assess
    expect({ changed: comparison.changed, attributes: comparison.attributes.filter((a) => a.changed) }).toEqual({ changed: false, attributes: [] });
  });

  it('reports candidate rules that cannot merge the conflict, rather than throwing', () => {
    // Prepare
    const text = (value: string) => ({ type: 'update' as const, set: { text: { S: value } } });
    const notes = concurrentWrites(new Writers(fixedRules), itemKey('NOTE#1', 'NOTE'), text('a'), text('bb'), text('c'));

    // Act
    const comparison = compare(notes, fixedRules, throwingRules);

    // Assess
    expect({ changed: comparison.changed, error: comparison.candidateError }).toEqual({ changed: true, error: expect.stringContaining('the note merge is not written yet') });
  });
});
