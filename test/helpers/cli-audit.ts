/**
 * Recorded audit events for `concord shadow`: a conflict's event as the resolver
 * publishes it once events carry their inputs (the stream record's old and new images:
 * the envelope's wire value and the other attributes, key excluded).
 */
import exampleRules from '../../rules/example';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { visibleOf } from '../../shared/merge/merge';
import type { EventBridgeEvent } from '../../local';
import type { ConcurrentVersions } from './resolver-records';

/** One input as the event carries it. */
function inputOf(image: AttributeMap): { envelope: unknown; attributes: AttributeMap } {
  return { envelope: image[exampleRules.table.envelopeAttribute] ?? null, attributes: visibleOf(image, exampleRules) };
}

/**
 * `event` (a conflict event the resolver published for `versions`) with the inputs it carries.
 *
 * @example
 * const recorded = withInputs(harness.auditEvents()[0], conflict);
 */
export function withInputs(event: EventBridgeEvent, versions: ConcurrentVersions): EventBridgeEvent {
  return { ...event, detail: { ...event.detail, inputs: { old: inputOf(versions.local), new: inputOf(versions.remote) } } };
}
