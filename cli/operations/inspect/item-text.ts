/**
 * `concord inspect` as a person reads it: what the item shows, then per attribute its
 * rule and writes, its counter slots and set adds, then the context, what is pending
 * and what the envelope costs.
 */
import { columns, formatAge, shortValue } from '../../text';
import type { AttributeView, ItemView, WriteView } from './item-view';
import type { Json } from '../../../shared/resolver/audit/plain';
import type { ReplicaComparison } from './replicas';

/**
 * The text of one item's view.
 *
 * @example
 * io.stdout.write(formatItemView(viewItem(image, rules, { key, now })));
 */
export function formatItemView(view: ItemView): string {
  const title = `${Object.values(view.key).map(String).join(' / ')}${view.region === null ? '' : `  (${view.region})`}`;
  if (!view.found) return `${title}\n  no item with this key\n`;
  const state = view.deleted ? `deleted${view.tombstone === null ? '' : `, tombstone ${view.tombstone.expired ? 'expired' : 'expires'} ${view.tombstone.expiresAt}`}` : 'live';
  const lines = [`${title}\n  entity ${view.entity ?? '?'} · ${view.versioned ? 'versioned' : 'not versioned (no envelope: written without Concord)'} · ${state}`];
  if (view.problem !== null) lines.push(`  cannot read as a Concord item: ${view.problem}`);
  const names = Object.keys(view.attributes).length > 0 ? Object.keys(view.attributes) : Object.keys(view.values);
  if (names.length > 0) {
    lines.push('', 'attributes:');
    const rows: string[][] = [];
    for (const name of names) {
      const attribute = view.attributes[name];
      const shown = Object.hasOwn(view.values, name) ? shortValue(view.values[name]) : '(not shown)';
      if (attribute === undefined) rows.push([name, '', shown, '']);
      else rows.push(...attributeRows(name, attribute, shown));
    }
    lines.push(columns(rows));
  }
  if (view.context !== null) {
    lines.push('', 'context:');
    const floors = Object.entries(view.context.floors).map(([region, floor]) => `${region} ≤ ${floor.clock} (${formatAge(floor.ageMs)})`);
    lines.push(`  floors: ${floors.length === 0 ? 'none' : floors.join(', ')}`);
    lines.push(...view.context.epochs.map((epoch) => `  epoch ${epoch.actor}${epoch.tip ? ' (tip)' : ''}: latest ${epoch.latest.clock} (${formatAge(epoch.latest.ageMs)})`));
    lines.push(`  written by ${view.context.by || '?'} · wid ${view.context.wid || '(none)'}`);
  }
  if (view.pending !== null) {
    const { holds, siblings, escalations } = view.pending;
    lines.push('', 'pending:');
    lines.push(`  holds: ${holds.length === 0 ? 'none' : holds.map((hold) => `${hold.actor} ${hold.first.clock}..${hold.last.clock} (quarantined, awaiting replay)`).join('; ')}`);
    lines.push(`  concurrent siblings: ${siblings.length === 0 ? 'none' : siblings.join(', ')}`);
    lines.push(`  escalations: ${escalations.length === 0 ? 'none' : escalations.map((e) => `${e.reason} ${e.subject}${e.detail === undefined ? '' : ` (${e.detail})`}`).join('; ')}`);
  }
  if (view.size !== null) {
    const { itemBytes, envelopeBytes, writeUnits, writeUnitsWithoutEnvelope, readUnits } = view.size;
    lines.push('', `size: ${itemBytes} bytes, envelope ${envelopeBytes} · ${writeUnits} write unit(s) per write (${writeUnitsWithoutEnvelope} without the envelope) · ${readUnits} read unit(s) per consistent read`);
  }
  return `${lines.join('\n')}\n`;
}

function attributeRows(name: string, attribute: AttributeView, shown: string): string[][] {
  const rows: string[][] = [];
  if (attribute.writes.length <= 1) {
    rows.push([name, attribute.rule, shown, attribute.writes[0] === undefined ? '' : `set ${describeWrite(attribute.writes[0])}`]);
  } else {
    rows.push([name, attribute.rule, shown, `${attribute.writes.length} concurrent writes:`]);
    attribute.writes.forEach((write, index) => rows.push(['', `#${index + 1}`, write.removed === true ? '(removed)' : write.value === undefined ? '' : shortValue(write.value), describeWrite(write)]));
  }
  if (attribute.counter !== undefined) {
    rows.push(['', 'by region', Object.entries(attribute.counter.regions).map(([region, net]) => `${region} ${net.startsWith('-') ? net : `+${net}`}`).join(' · '), `${attribute.counter.slots.length} slot(s)`]);
  }
  for (const { element, adds } of attribute.set?.elements ?? []) rows.push(['', 'element', shortValue(element), `added ${adds.map(describeWrite).join(', ')}`]);
  return rows;
}

function describeWrite(write: WriteView): string {
  if (write.legacy || write.clock === null) return 'before Concord';
  return `in ${write.region} ${write.clock.at} (${formatAge(write.clock.ageMs)}) by epoch ${write.epoch}`;
}

/**
 * The text of `inspect --all-regions`: whether the replicas agree, what differs, then each replica.
 *
 * @example
 * io.stdout.write(formatReplicas(comparison, views));
 */
export function formatReplicas(comparison: ReplicaComparison, views: readonly ItemView[]): string {
  const verdict = comparison.identical
    ? `the ${comparison.regions.length} replicas are identical`
    : comparison.agree
      ? `the ${comparison.regions.length} replicas agree (same state; lineage differs while a merge replicates)`
      : `the replicas DISAGREE on ${comparison.differences.filter((d) => d.field !== 'lineage').length} field(s)`;
  const lines = [`${verdict}: ${comparison.regions.join(', ')}`];
  if (comparison.differences.length > 0) {
    const rows = [['field', ...comparison.regions]];
    for (const difference of comparison.differences) rows.push([difference.field, ...comparison.regions.map((region) => describeDifference(difference.field, difference.values[region]))]);
    lines.push(columns(rows));
  }
  return `${lines.join('\n')}\n\n${views.map(formatItemView).join('\n')}`;
}

/** A differing field's value in one replica, in a few words. */
function describeDifference(field: string, value: Json | undefined): string {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return shortValue(value, 40);
  if (field.startsWith('writes.')) {
    const writes = (value.writes ?? []) as Json[][];
    return `${writes.length} write(s): ${writes.map(([, shown]) => shortValue(shown, 24)).join(' | ')}`;
  }
  if (field === 'context') {
    const epochs = (value.epochs ?? []) as string[][];
    return epochs.length === 0 ? 'no epochs' : epochs.map(([actor, clock]) => `${actor} ${clock}`).join(', ');
  }
  if (field === 'lineage') return `by ${String(value.by)}${value.tip === null ? '' : ` on ${String(value.tip)}`}`;
  return shortValue(value, 40);
}
