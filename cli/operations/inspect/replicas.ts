/**
 * `concord inspect --all-regions`: the replicas of one item side by side. They are
 * *identical* when every region holds the same bytes, and *agree* when they hold the
 * same state: the same values, writes, counters, sets and causal context. Lineage
 * (`wid`, `by`, `tip`) may differ for a moment while a merge written in several regions
 * replicates; every other difference is one replication or a resolver has yet to settle.
 */
import { canonicalJson, type AttributeMap } from '../../../shared/dynamodb/attribute-value';
import { dict } from '../../../shared/dynamodb/dict';
import type { Json } from '../../../shared/resolver/audit/plain';
import type { ItemView } from './item-view';

/** One replica: the region, the stored image (undefined: no item there) and its view. */
export interface Replica {
  readonly region: string;
  readonly image: AttributeMap | undefined;
  readonly view: ItemView;
}

/** A field whose value is not the same in every replica. */
export interface ReplicaDifference {
  /** `found`, `deleted`, `values.<attribute>`, `writes.<attribute>`, `context` or `lineage`. */
  readonly field: string;
  /** Per region (null: absent there). */
  readonly values: Readonly<Record<string, Json>>;
}

export interface ReplicaComparison {
  readonly regions: readonly string[];
  readonly identical: boolean;
  readonly agree: boolean;
  readonly differences: readonly ReplicaDifference[];
}

/**
 * Compares the replicas of one item.
 *
 * @example
 * const comparison = compareReplicas(replicas);
 * comparison.agree; // false while a write has not reached every region
 */
export function compareReplicas(replicas: readonly Replica[]): ReplicaComparison {
  const regions = replicas.map((replica) => replica.region);
  const identical = new Set(replicas.map((replica) => canonicalJson(replica.image ?? null))).size <= 1;
  const differences: ReplicaDifference[] = [];
  const compare = (field: string, valueOf: (view: ItemView) => Json | undefined): void => {
    const values = dict<Json>();
    for (const { region, view } of replicas) values[region] = valueOf(view) ?? null;
    if (new Set(Object.values(values).map(canonicalJson)).size > 1) differences.push({ field, values });
  };
  compare('found', (view) => view.found);
  compare('deleted', (view) => view.deleted);
  const attributes = new Set(replicas.flatMap(({ view }) => [...Object.keys(view.values), ...Object.keys(view.attributes)]));
  for (const name of [...attributes].sort()) {
    compare(`values.${name}`, (view) => (Object.hasOwn(view.values, name) ? view.values[name] : undefined));
    compare(`writes.${name}`, (view) => stateOfAttribute(view, name));
  }
  compare('context', (view) => (view.context === null ? null : { floors: clocksOf(view.context.floors), epochs: view.context.epochs.map(({ actor, latest }) => [actor, latest.clock]) }));
  const agree = differences.length === 0;
  compare('lineage', (view) => (view.context === null ? null : { wid: view.context.wid, by: view.context.by, tip: view.context.tip }));
  return { regions, identical, agree, differences };
}

/** An attribute's writes, counter slots and set adds, without ages (which count from one `now`, but say nothing of state). */
function stateOfAttribute(view: ItemView, name: string): Json | undefined {
  if (!Object.hasOwn(view.attributes, name)) return undefined;
  const attribute = view.attributes[name];
  if (attribute === undefined) return undefined;
  return {
    writes: attribute.writes.map((write) => [write.dot, write.value ?? null]),
    slots: (attribute.counter?.slots ?? []).map((slot) => [slot.slot, slot.p, slot.n]),
    elements: (attribute.set?.elements ?? []).map(({ element, adds }) => [element, adds.map((add) => add.dot)]),
  };
}

function clocksOf(floors: Readonly<Record<string, { readonly clock: string }>>): Record<string, string> {
  const clocks = dict<string>();
  for (const region of Object.keys(floors)) clocks[region] = (floors[region] as { clock: string }).clock;
  return clocks;
}
