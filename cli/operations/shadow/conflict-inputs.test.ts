import exampleRules from '../../../rules/example';
import { visibleOf } from '../../../shared/merge/merge';
import { notesConflict } from '../../../test/helpers/cli-items';
import { conflictInputsOf, MissingInputs } from './conflict-inputs';

const conflict = notesConflict('ORDER#1');
const input = (image: typeof conflict.local) => ({ envelope: image._cc, attributes: visibleOf(image, exampleRules) });
const KEY = { pk: 'ORDER#1', sk: 'ORDER' };

describe('conflictInputsOf', () => {
  it("decodes both versions from an event's inputs", () => {
    // Act
    const inputs = conflictInputsOf({ key: KEY, inputs: { old: input(conflict.local), new: input(conflict.remote) } }, exampleRules);

    // Assess
    if ('missing' in inputs) throw new Error(inputs.missing);
    expect([inputs.local.registers.get('notes')?.size, [...(inputs.remote.registers.get('notes')?.values() ?? [])]]).toEqual([1, [{ S: 'Call on arrival' }]]);
  });

  it.each([
    ['an event recorded before events carried inputs', { key: KEY }, MissingInputs.NoInputs],
    ['a pointer event', { key: KEY, pointer: true }, MissingInputs.Pointer],
    ['an event whose envelopes were dropped for size', { key: KEY, envelopesDropped: true }, MissingInputs.EnvelopesDropped],
    ['an event without values', { key: KEY, inputs: { old: { envelope: conflict.local._cc }, new: { envelope: conflict.remote._cc } } }, MissingInputs.NoValues],
  ])('says why %s cannot be replayed', (_case, detail, missing) => {
    // Act
    const inputs = conflictInputsOf(detail, exampleRules);

    // Assess
    expect(inputs).toEqual({ missing });
  });

  it('says why inputs that cannot be read cannot be replayed', () => {
    // Act
    const inputs = conflictInputsOf({ key: KEY, inputs: { old: { envelope: { S: 'x' }, attributes: {} }, new: input(conflict.remote) } }, exampleRules);

    // Assess
    expect(inputs).toEqual({ missing: expect.stringMatching(/^the inputs cannot be read: malformed envelope on item pk=ORDER#1 sk=ORDER at _cc: must be a map/) });
  });
});
