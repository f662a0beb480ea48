/**
 * The two versions of a recorded conflict, as a later re-merge needs them: a conflict
 * event carries its inputs (`detail.inputs.old` and `.new`: each the envelope's wire
 * value and, where the rules allow values, the image's other attributes, key excluded).
 * An event without them (one recorded before events carried inputs, a pointer event, an
 * event whose values were dropped or never allowed) cannot be replayed, and says why.
 */
import type { AttributeMap, AttributeValue } from '../../../shared/dynamodb/attribute-value';
import { parseAttributeMap, parseAttributeValue } from '../../../shared/dynamodb/attribute-value';
import { dict } from '../../../shared/dynamodb/dict';
import { decodeItem, type ItemState } from '../../../shared/item/state';
import type { RuleSet } from '../../../shared/rules/types';
import { toWireKey } from '../../../shared/writer/values';

/** The conflict's versions, or why the event does not hold them. */
export type ConflictInputs = { readonly local: ItemState; readonly remote: ItemState; readonly key: AttributeMap } | { readonly missing: string };

/** Why an event cannot be replayed. */
export const MissingInputs = {
  NoInputs: 'the event carries no inputs (recorded before audit events carried both versions)',
  Pointer: 'a pointer event: the event was too large to carry more than its ids',
  EnvelopesDropped: "the inputs' envelopes were dropped to fit EventBridge's limit",
  NoValues: "the inputs carry no values (the rules' audit.includeValues is off, or they were dropped for size)",
  Unreadable: 'the inputs cannot be read',
} as const;

/**
 * The inputs of a conflict event's detail, decoded under the rules' table settings.
 *
 * @example
 * const inputs = conflictInputsOf(event.detail, rules);
 * if (!('missing' in inputs)) compareUnderRules(inputs.local, inputs.remote, rules, candidate, { table, writtenIn: event.region });
 */
export function conflictInputsOf(detail: Readonly<Record<string, unknown>>, rules: RuleSet): ConflictInputs {
  if (detail.pointer === true) return { missing: MissingInputs.Pointer };
  const inputs = detail.inputs as { old?: VersionInput; new?: VersionInput } | undefined;
  if (inputs === undefined || inputs === null || typeof inputs !== 'object') return { missing: detail.envelopesDropped === true ? MissingInputs.EnvelopesDropped : MissingInputs.NoInputs };
  if (inputs.old?.attributes === undefined || inputs.new?.attributes === undefined) return { missing: MissingInputs.NoValues };
  try {
    const key = toWireKey(detail.key as Record<string, unknown>, rules.table);
    return { key, local: decodeItem(imageOf(key, inputs.old, rules), rules.table, key), remote: decodeItem(imageOf(key, inputs.new, rules), rules.table, key) };
  } catch (error) {
    return { missing: `${MissingInputs.Unreadable}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** One input as an audit event carries it. */
interface VersionInput {
  readonly envelope?: unknown;
  readonly attributes?: unknown;
}

function imageOf(key: AttributeMap, input: VersionInput, rules: RuleSet): AttributeMap {
  const image = dict<AttributeValue>();
  Object.assign(image, parseAttributeMap(input.attributes, 'inputs.attributes'), key);
  if (input.envelope !== undefined && input.envelope !== null) image[rules.table.envelopeAttribute] = parseAttributeValue(input.envelope, 'inputs.envelope');
  return image;
}
