/**
 * The fast path (design §6.1): one conditional UpdateItem that changes only what the write
 * changes. Its condition holds exactly on the items where that update produces the same
 * image as the core's `applyWrite`: a live item on this region's line whose latest dot of
 * the line (and floor) is below the write's clock, with no siblings on the written
 * attributes and the counter and set state the update extends. The line's epoch is written
 * bare, so the update needs no tag. Anywhere else the condition fails.
 */
import { UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../clock/hlc';
import type { AttributeMap, AttributeValue } from '../dynamodb/attribute-value';
import { ruleFor } from '../rules/define-rules';
import { RuleKind, type Entity, type RuleSet } from '../rules/types';
import type { Change } from '../write/change';
import { isConditionalCheckFailed, type WriterContext } from './context';
import { ExpressionBuilder } from './expression';
import { currentAfterFailure, type CurrentItem } from './slow-path';
import { toSdkItem, toSdkValue } from './values';

/** DynamoDB's limit on the length of one expression. */
const MAX_EXPRESSION_LENGTH = 4096;

/** A write to try on the fast path. */
export interface FastWrite {
  readonly tableName: string;
  readonly rules: RuleSet;
  /** The entity the change was validated against. */
  readonly entity: Entity;
  readonly key: AttributeMap;
  readonly change: Change;
  readonly region: string;
  readonly clock: Clock;
  /** The write's `wid`. */
  readonly wid: string;
}

/**
 * The conditional UpdateItem for a write, or undefined when no update expression can
 * reproduce `applyWrite` for it: puts and deletes (they see every attribute), assigning
 * or removing a counter or an add-wins set (that needs the state a read gives), items
 * whose entity a stored attribute may decide, and expressions over DynamoDB's 4 KB.
 *
 * @example
 * const input = buildFastUpdate({ tableName, rules, entity, key, change: { type: 'update', increment: { onHand: -1 } }, region, clock, wid });
 * // SET _cc.crdt.onHand.<region>.n = _cc.crdt.onHand.<region>.n + 1, onHand = onHand + -1, _cc.fc.onHand = [clock], …
 */
export function buildFastUpdate(write: FastWrite): UpdateItemCommandInput | undefined {
  const { rules, entity, change, region, clock } = write;
  if (change.type !== 'update' || !entityFollowsKey(rules, write.key)) return undefined;
  const { envelopeAttribute: envelope, ttlAttribute } = rules.table;
  const expression = new ExpressionBuilder();
  const path = expression.path.bind(expression);
  const clockValue = expression.value({ S: clock });
  const regionValue = expression.value({ S: region });
  const dots = expression.value({ L: [{ S: clock }] });
  const set = [
    `${path(envelope, 'vv', region)} = ${clockValue}`,
    `${path(envelope, 'by')} = ${regionValue}`,
    `${path(envelope, 'wid')} = ${expression.value({ S: write.wid })}`,
    `${path(envelope, 'ex')} = ${expression.value({ M: { [clock]: { BOOL: true } } })}`,
  ];
  const remove: string[] = [];
  const add: string[] = [];
  const del: string[] = [];
  // A live Concord item (tombstones carry the TTL attribute) on this region's line (`tip`
  // is one of its epochs, false where there is no envelope), whose line and floor are
  // below this write's clock: on any other version the write starts an epoch (design §3.2).
  const floor = path(envelope, 'fl', region);
  const conditions = [
    `begins_with(${path(envelope, 'tip')}, ${expression.value({ S: `${region}~` })})`,
    `${path(envelope, 'vv', region)} < ${clockValue}`,
    `(attribute_not_exists(${floor}) OR ${floor} < ${clockValue})`,
    `attribute_not_exists(${path(ttlAttribute)})`,
  ];
  const stamp = (name: string): void => {
    set.push(`${path(envelope, 'fc', name)} = ${dots}`);
  };
  const withoutSiblings = (name: string): void => {
    conditions.push(`attribute_not_exists(${path(envelope, 'crdt', 'sib', name)})`);
  };
  const withSetState = (name: string): void => {
    conditions.push(`attribute_exists(${path(envelope, 'crdt', name)})`);
  };
  const kindOf = (name: string): RuleKind => ruleFor(entity, name).kind;

  for (const [name, value] of Object.entries(change.set ?? {})) {
    const kind = kindOf(name);
    if (kind === RuleKind.Counter) return undefined;
    if (kind === RuleKind.AddWinsSet) {
      withSetState(name);
      set.push(`${path(envelope, 'crdt', name)} = ${expression.value(toSdkValue(addedBy(value, clock)))}`);
    } else {
      withoutSiblings(name);
    }
    set.push(`${path(name)} = ${expression.value(toSdkValue(value))}`);
    stamp(name);
  }
  for (const name of change.remove ?? []) {
    const kind = kindOf(name);
    if (kind === RuleKind.Counter || kind === RuleKind.AddWinsSet) return undefined;
    withoutSiblings(name);
    remove.push(path(name));
    stamp(name);
  }
  for (const [name, raw] of Object.entries(change.increment ?? {})) {
    // Only the line's slot grows (bare region key): p by a positive delta, n by a negative
    // one. The visible total moves with it, so the attribute must show the counter already.
    const delta = BigInt(raw);
    const slot = path(envelope, 'crdt', name, region, delta >= 0n ? 'p' : 'n');
    conditions.push(`attribute_exists(${path(envelope, 'crdt', name, region)})`, `attribute_exists(${path(name)})`);
    set.push(`${slot} = ${slot} + ${expression.value({ N: (delta < 0n ? -delta : delta).toString() })}`, `${path(name)} = ${path(name)} + ${expression.value({ N: delta.toString() })}`);
    stamp(name);
  }
  for (const [name, elements] of Object.entries(change.addToSet ?? {})) {
    const distinct = [...new Set(elements)];
    withSetState(name);
    for (const element of distinct) set.push(`${path(envelope, 'crdt', name, element)} = ${dots}`);
    add.push(`${path(name)} ${expression.value({ SS: distinct })}`);
    stamp(name);
  }
  for (const [name, elements] of Object.entries(change.removeFromSet ?? {})) {
    const distinct = [...new Set(elements)];
    withSetState(name);
    for (const element of distinct) remove.push(path(envelope, 'crdt', name, element));
    del.push(`${path(name)} ${expression.value({ SS: distinct })}`);
    stamp(name);
  }

  const updateExpression = [clause('SET', set), clause('REMOVE', remove), clause('ADD', add), clause('DELETE', del)].filter((part) => part !== '').join(' ');
  const conditionExpression = conditions.join(' AND ');
  if (updateExpression.length > MAX_EXPRESSION_LENGTH || conditionExpression.length > MAX_EXPRESSION_LENGTH) return undefined;
  return {
    TableName: write.tableName,
    Key: toSdkItem(write.key),
    UpdateExpression: updateExpression,
    ConditionExpression: conditionExpression,
    ...expression.attributes(),
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/** What a fast update did: written, or what its failure tells of the item. */
export type FastOutcome = { readonly written: true } | { readonly written: false; readonly current: CurrentItem };

/**
 * Sends a fast update. A failed condition hands over the item DynamoDB returned; when
 * none came back and `mayBeNew`, the item is taken to be new (no envelope is the
 * likeliest reason on a first try), else it must be read. An expression that does
 * not fit the item's shape means the item exists but must be read.
 *
 * @example
 * const outcome = await sendFastUpdate(context, input, true);
 * if (!outcome.written) await writeSlowly(context, key, change, outcome.current);
 */
export async function sendFastUpdate(context: WriterContext, input: UpdateItemCommandInput, mayBeNew: boolean): Promise<FastOutcome> {
  try {
    await context.client.send(new UpdateItemCommand(input));
    return { written: true };
  } catch (error) {
    if (isConditionalCheckFailed(error)) {
      const current = currentAfterFailure(error);
      return { written: false, current: current.known === 'nothing' && mayBeNew ? { known: 'absent', guessed: true } : current };
    }
    if (error instanceof Error && error.name === 'ValidationException') return { written: false, current: { known: 'nothing' } };
    throw error;
  }
}

/**
 * True when the key alone decides the item's entity; when an entity matched by a type
 * attribute comes first, the stored item may decide, and only a read tells its rules.
 */
export function entityFollowsKey(rules: RuleSet, key: AttributeMap): boolean {
  for (const entity of rules.entities) {
    const match = entity.match;
    if (match === undefined || !('prefix' in match)) return false;
    const keyName = match.on === 'sortKey' ? rules.table.sortKey : rules.table.partitionKey;
    const value = keyName === null ? undefined : key[keyName];
    if (value !== undefined && 'S' in value && value.S.startsWith(match.prefix)) return true;
  }
  return true;
}

/** The add-wins set state of a string set assigned at `clock`: every element added by it. */
function addedBy(value: AttributeValue, clock: Clock): AttributeValue {
  const elements = 'SS' in value ? value.SS : [];
  return { M: Object.fromEntries(elements.map((element) => [element, { L: [{ S: clock }] }])) };
}

function clause(keyword: string, actions: readonly string[]): string {
  return actions.length === 0 ? '' : `${keyword} ${actions.join(', ')}`;
}
